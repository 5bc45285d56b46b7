/**
 * The checkpoint protocol's invariant (src/checkpoint/checkpoint.ts): every intermediate state a
 * kill can leave is built on disk directly, then read (the newest complete checkpoint wins) and
 * written over (the next checkpoint lands in checkpoint/ and nothing complete is lost).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import {
  checkpointDir,
  disposeCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  writeRunConfig,
} from '../../src/checkpoint/checkpoint.js';
import { buildNetwork } from '../../src/nets/index.js';
import { Rng } from '../../src/util/rng.js';
import type { StateBundle } from '../../src/util/state-bundle.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-protocol-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function bundle(seed: number): StateBundle {
  return {
    json: { step: seed },
    arrays: { moments: Float32Array.from([seed, 1, 2]) },
    models: { online: buildNetwork('[3,relu]', [2], { kind: 'q', actions: 2 }, { rng: new Rng(seed) }) },
  };
}

/** Two complete checkpoint folders, of steps 1 (older) and 2 (newer), to build states from. */
let older = '';
let newer = '';
beforeAll(async () => {
  await writeCheckpoint(join(root, 'a'), 'dqn', 1, { agent: bundle(1) });
  await writeCheckpoint(join(root, 'b'), 'dqn', 2, { agent: bundle(2) });
  older = join(root, 'a', 'checkpoint');
  newer = join(root, 'b', 'checkpoint');
});

let n = 0;
/** A run directory holding copies of the given folders under the given names. */
function state(folders: Record<string, string>): string {
  const run = join(root, `state-${n++}`);
  for (const [name, from] of Object.entries(folders)) cpSync(from, join(run, name), { recursive: true });
  return run;
}

async function stepOf(run: string): Promise<number> {
  const loaded = await readCheckpoint(run, 'dqn');
  disposeCheckpoint(loaded);
  return loaded.manifest.step;
}

const incomplete = (from: string, how: 'no-manifest' | 'truncated'): string => {
  const copy = join(root, `broken-${n++}`);
  cpSync(from, copy, { recursive: true });
  if (how === 'no-manifest') rmSync(join(copy, 'manifest.json'));
  else truncateSync(join(copy, 'agent.online', 'weights.bin'), 3);
  return copy;
};

describe('checkpoint protocol: every state a kill can leave', () => {
  const cases: [string, () => Record<string, string>, number][] = [
    // A kill between the writer's two renames, twice in a row, left only a complete tmp
    // (issue 14, defect 2: "has no checkpoint").
    ['complete tmp only', () => ({ 'checkpoint.tmp': newer }), 2],
    ['complete tmp and old', () => ({ 'checkpoint.tmp': newer, 'checkpoint.old': older }), 2],
    ['complete tmp and checkpoint', () => ({ 'checkpoint.tmp': newer, checkpoint: older }), 2],
    ['old only', () => ({ 'checkpoint.old': older }), 1],
    ['checkpoint and old', () => ({ checkpoint: newer, 'checkpoint.old': older }), 2],
    [
      'checkpoint and a tmp without manifest',
      () => ({ checkpoint: older, 'checkpoint.tmp': incomplete(newer, 'no-manifest') }),
      1,
    ],
    [
      'checkpoint and a truncated tmp',
      () => ({ checkpoint: older, 'checkpoint.tmp': incomplete(newer, 'truncated') }),
      1,
    ],
    [
      'checkpoint and a half-removed old',
      () => ({ checkpoint: newer, 'checkpoint.old': incomplete(older, 'no-manifest') }),
      2,
    ],
    [
      'old and a truncated tmp',
      () => ({ 'checkpoint.old': older, 'checkpoint.tmp': incomplete(newer, 'truncated') }),
      1,
    ],
  ];
  for (const [name, folders, step] of cases) {
    it(`${name}: reads step ${step}, then a new checkpoint replaces it cleanly`, async () => {
      const run = state(folders());
      expect(await stepOf(run)).toBe(step);
      await writeCheckpoint(run, 'dqn', 3, { agent: bundle(3) });
      expect(await stepOf(run)).toBe(3);
      expect(readdirSync(run).sort()).toEqual(['checkpoint']);
    });
  }

  it('a kill at any rename of two saves in a row leaves a loadable checkpoint', async () => {
    // Replays the writer's renames by hand and reads after each: the states of defect 2's
    // reproduction (kill at the second save's last rename, then at the resumed run's first).
    const run = state({ checkpoint: older });
    renameSync(join(run, 'checkpoint'), join(run, 'checkpoint.old'));
    cpSync(newer, join(run, 'checkpoint.tmp'), { recursive: true });
    expect(await stepOf(run)).toBe(2); // killed before tmp → checkpoint
    // The resumed run saves again and is killed at its first rename: settle has promoted step 2
    // and the new tmp is complete.
    await writeCheckpoint(run, 'dqn', 3, { agent: bundle(3) });
    renameSync(join(run, 'checkpoint'), join(run, 'checkpoint.old'));
    cpSync(newer, join(run, 'checkpoint.tmp'), { recursive: true });
    rmSync(join(run, 'checkpoint.old'), { recursive: true });
    expect(await stepOf(run)).toBe(2);
  });

  it('a damaged checkpoint/ with no newer one is moved aside, not deleted', async () => {
    const run = state({ checkpoint: incomplete(newer, 'truncated'), 'checkpoint.old': older });
    expect(await stepOf(run)).toBe(1);
    await writeCheckpoint(run, 'dqn', 3, { agent: bundle(3) });
    const names = readdirSync(run);
    expect(names.filter((x) => x.startsWith('checkpoint.damaged-'))).toHaveLength(1);
    expect(await checkpointDir(run)).toBe(join(run, 'checkpoint'));
  });

  it('config.json is replaced by a rename (a new file), never rewritten in place', async () => {
    // Issue 14, defect 3: written in place, a kill left a 0-byte config.json.
    const run = join(root, 'config');
    await writeRunConfig(run, { env: 'CartPole-v1', algo: 'dqn' });
    const before = statSync(join(run, 'config.json')).ino;
    await writeRunConfig(run, { env: 'CartPole-v1', algo: 'dqn', steps: 2 });
    expect(statSync(join(run, 'config.json')).ino).not.toBe(before);
    expect(readdirSync(run)).toEqual(['config.json']);
    expect(existsSync(join(run, '.config.json.tmp'))).toBe(false);
  });
});
