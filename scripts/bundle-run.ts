/**
 * A run directory copied for bundling: config and logs as they are, the checkpoint read, verified
 * and written again without its replay memory (which is most of a DQN run's bytes). The copy plays,
 * evaluates, plots and maps as the run did; resuming it refills the replay (not an exact resume).
 */
import { cpSync } from 'node:fs';
import { basename } from 'node:path';
import { disposeCheckpoint, readCheckpoint, writeCheckpoint } from '../src/checkpoint/checkpoint.js';

/** Copies DQN run `src` to the new directory `dest` without its replay memory, best/ copy or event files. */
export async function copyRunWithoutReplay(src: string, dest: string): Promise<void> {
  cpSync(src, dest, {
    recursive: true,
    errorOnExist: true,
    force: false,
    filter: (path) => path === src || /^(config\.json|metrics\.(jsonl|csv))$/.test(basename(path)),
  });
  const loaded = await readCheckpoint(src, 'dqn');
  try {
    const { replay: _replay, ...parts } = loaded.parts;
    await writeCheckpoint(dest, 'dqn', loaded.manifest.step, parts);
  } finally {
    disposeCheckpoint(loaded);
  }
}
