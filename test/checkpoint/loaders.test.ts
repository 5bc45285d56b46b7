/**
 * Loaders trust nothing (issue 14, defects 4, 5 and 8): a run directory edited to point outside
 * itself, at a device, at the wrong network, or holding NaN weights is refused with a message
 * that names the file; nothing outside the run directory is read.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { evalCommand } from '../../src/cli/commands/eval.js';
import { loadAgent } from '../../src/train/load-agent.js';
import { runCommands } from '../cli/viewer-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-loaders-'));
const bundled = join(import.meta.dirname, '..', '..', 'checkpoints', 'bundled', 'cartpole-dqn');
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The loosely typed JSON a test edits (any field may be set, as a forger would). */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary fields of arbitrary JSON
type Json = Record<string, any>;

let n = 0;
/** A copy of the bundled CartPole agent, changed by `edit(checkpointDir)`. */
function run(edit: (ckpt: string) => void): string {
  const dir = join(root, `run-${n++}`);
  cpSync(bundled, dir, { recursive: true });
  edit(join(dir, 'checkpoint'));
  return dir;
}
const json = (path: string, change: (value: Json) => void): void => {
  const value = JSON.parse(readFileSync(path, 'utf8'));
  change(value);
  writeFileSync(path, JSON.stringify(value));
};
const manifest = (ckpt: string, change: (value: Json) => void) => json(join(ckpt, 'manifest.json'), change);
/** Edits agent.online/model.json and lists its new size in the manifest, as a careful forger would. */
const modelJson = (ckpt: string, change: (value: Json) => void) => {
  const path = join(ckpt, 'agent.online', 'model.json');
  json(path, change);
  manifest(ckpt, (m) => {
    m.files['agent.online/model.json'] = readFileSync(path).byteLength;
  });
};

describe('loaders refuse what leaves the run directory or is not what it claims', () => {
  it('loads the bundled agent as it is', async () => {
    const agent = await loadAgent(run(() => {}));
    expect(agent.numActions).toBe(2);
    agent.dispose();
  });

  const cases: [string, (ckpt: string) => void, RegExp][] = [
    [
      'a weights path out of the run directory',
      (ckpt) => {
        mkdirSync(join(root, 'elsewhere'), { recursive: true });
        cpSync(join(ckpt, 'agent.online', 'weights.bin'), join(root, 'elsewhere', 'x.bin'));
        modelJson(ckpt, (m) => {
          m.weightsManifest[0].paths = ['../../../elsewhere/x.bin'];
        });
      },
      /agent\.online\/model\.json: path \.\.\/\.\.\/\.\.\/elsewhere\/x\.bin leads outside/,
    ],
    [
      "a weights path to the other network's weights",
      (ckpt) =>
        modelJson(ckpt, (m) => {
          m.weightsManifest[0].paths = ['../agent.target/weights.bin'];
        }),
      /agent\.online\/model\.json: path \.\.\/agent\.target\/weights\.bin leads outside/,
    ],
    [
      'a manifest file entry that is an absolute path',
      (ckpt) =>
        manifest(ckpt, (m) => {
          m.files['/proc/self/environ'] = 10;
        }),
      /manifest\.json: file entry "\/proc\/self\/environ" leads outside/,
    ],
    [
      'weights.bin replaced by a link to /dev/zero',
      (ckpt) => {
        unlinkSync(join(ckpt, 'agent.online', 'weights.bin'));
        symlinkSync('/dev/zero', join(ckpt, 'agent.online', 'weights.bin'));
      },
      /weights\.bin is a link to \/dev\/zero, outside/,
    ],
    [
      'a weights path to a device inside the folder',
      (ckpt) => {
        mkdirSync(join(ckpt, 'agent.online', 'dev'));
        symlinkSync('/dev/zero', join(ckpt, 'agent.online', 'dev', 'zero'));
        modelJson(ckpt, (m) => {
          m.weightsManifest[0].paths = ['dev/zero'];
        });
      },
      /dev\/zero is a link to \/dev\/zero, outside/,
    ],
    [
      'the online model entry naming the target network',
      (ckpt) =>
        manifest(ckpt, (m) => {
          m.parts.agent.models.online = 'agent.target';
        }),
      /manifest\.json: model 'agent\.online' names folder "agent\.target", not agent\.online/,
    ],
    [
      'loop.arrays that is not an object',
      (ckpt) =>
        manifest(ckpt, (m) => {
          m.parts.loop.arrays = true;
        }),
      /manifest\.json: part 'loop' needs 'arrays' and 'models' objects/,
    ],
    [
      'weights full of NaN',
      (ckpt) => {
        const path = join(ckpt, 'agent.online', 'weights.bin');
        const size = readFileSync(path).byteLength;
        writeFileSync(path, Buffer.from(new Float32Array(size / 4).fill(Number.NaN).buffer));
      },
      /the weights of .*agent\.online\/model\.json hold a non-finite value/,
    ],
    [
      'an int32 array whose length disagrees with its file',
      (ckpt) =>
        manifest(ckpt, (m) => {
          m.parts.loop.arrays.envs.dtype = 'int32';
        }),
      /manifest\.json: array 'loop\.envs' of 352 int32 needs 1408 bytes; 'files' lists 352/,
    ],
    [
      'a file replaced by a folder',
      (ckpt) => {
        rmSync(join(ckpt, 'state.json'));
        mkdirSync(join(ckpt, 'state.json'));
      },
      /checkpoint\/state\.json is not a regular file/,
    ],
    [
      'parts: null',
      (ckpt) =>
        manifest(ckpt, (m) => {
          m.parts = null;
        }),
      /manifest\.json: 'parts' is not an object/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(`${what}: refused, naming the file`, async () => {
      await expect(loadAgent(run(edit))).rejects.toThrow(message);
    });
  }

  it('a checksum mismatch is named', async () => {
    const dir = join(root, 'sum');
    cpSync(bundled, dir, { recursive: true });
    // Rewrite the checkpoint so that it has checksums, then flip one byte of a moment file.
    const { writeCheckpoint } = await import('../../src/checkpoint/checkpoint.js');
    const loaded = await readCheckpoint(dir, 'dqn');
    await writeCheckpoint(dir, 'dqn', loaded.manifest.step, loaded.parts);
    const path = join(dir, 'checkpoint', 'agent.optimizer.first.bin');
    const bytes = readFileSync(path);
    bytes[100] ^= 1;
    writeFileSync(path, bytes);
    await expect(readCheckpoint(dir, 'dqn')).rejects.toThrow(
      /agent\.optimizer\.first\.bin does not match its checksum/,
    );
  });

  it('pixelrl eval on NaN weights: exit code 2 with the file named', async () => {
    const dir = run((ckpt) => {
      const path = join(ckpt, 'agent.target', 'weights.bin');
      const size = readFileSync(path).byteLength;
      writeFileSync(path, Buffer.from(new Float32Array(size / 4).fill(Number.POSITIVE_INFINITY).buffer));
    });
    const r = await runCommands([evalCommand()], ['eval', dir, '--episodes', '1', '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/agent\.target\/model\.json hold a non-finite value/);
  });
});
