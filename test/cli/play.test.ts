/**
 * `pixelrl play` end to end on a tiny Catch-v0 run trained here: animation files (frames, sizes,
 * side panel), the terminal player, the built-in policies, and the errors of bad arguments.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunDir } from '../../src/cli/commands/cli-args.js';
import { playCommand } from '../../src/cli/commands/play.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { gifInfo, pngSize } from '../viz/image-files.js';
import { runCommands, trainTinyCatch } from './viewer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-play-'));
let run = '';
beforeAll(async () => {
  run = await trainTinyCatch(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const play = (...args: string[]) => runCommands([playCommand()], ['play', ...args]);

describe('pixelrl play <run>', () => {
  it('writes an animated PNG of two cut-short episodes with the Q-value panel', async () => {
    const out = join(dir, 'episode.png');
    const r = await play(
      run,
      '--out',
      out,
      '--episodes',
      '2',
      '--max-steps',
      '6',
      '--scale',
      '2',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    // 160x210 screens at 2x, plus the 220-px panel of the 3 actions.
    expect(r.out).toContain(`wrote ${out}: apng, 540x420, 12 frames at 15 fps`);
    expect(r.out).toMatch(/episode 1: return 0 in 6 steps\n.*episode 2: return 0 in 6 steps\n/);
    const bytes = readFileSync(out);
    expect(pngSize(bytes)).toEqual({ width: 540, height: 420 });
    const apng = UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    expect(apng.tabs.acTL?.num_frames).toBeGreaterThan(1);
    expect(apng.tabs.acTL?.num_frames).toBeLessThanOrEqual(12);
  });

  it('replays a CartPole agent (vector observations, one frame per observation)', async () => {
    const cartpole = join(dir, 'cartpole');
    const trained = await runCommands(
      [trainCommand()],
      ['train', '--env', 'CartPole-v1', '--steps', '40', '--net', '[8,relu]', '--learning-starts', '16']
        .concat(['--train-frequency', '8', '--batch-size', '8', '--backend', 'cpu', '--progress', 'off'])
        .concat(['--eval-episodes', '0', '--run-name', cartpole]),
    );
    expect(trained.code, trained.err).toBe(0);
    const out = join(dir, 'cartpole-agent.gif');
    const r = await play(cartpole, '--out', out, '--max-steps', '4', '--epsilon', '0');
    expect(r.code, r.err).toBe(0);
    // 600x400 screens at scale 1, and the panel of the 2 actions.
    expect(r.out).toMatch(/gif, 820x400, 4 frames at 30 fps/);
    expect(r.out).toMatch(/CartPole-v1 .* episode 1: return 4 in 4 steps/);
  });

  it('takes the checkpoint folder for its run, and writes a GIF without the panel', async () => {
    expect(resolveRunDir(join(run, 'checkpoint'))).toBe(run);
    const out = join(dir, 'episode.gif');
    const r = await play(
      join(run, 'checkpoint'),
      '--out',
      out,
      '--max-steps',
      '5',
      '--scale',
      '1',
      '--panel',
      'none',
    );
    expect(r.code).toBe(0);
    expect(gifInfo(readFileSync(out))).toEqual({ width: 160, height: 210, frames: 5 });
  });

  it('draws live in the terminal with a status line of Q-values, and restores the cursor', async () => {
    const r = await play(run, '--render', 'terminal', '--max-steps', '3', '--fps', '240', '--epsilon', '0');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\x1b[38;2;'); // 24-bit colour
    expect(r.out).toMatch(/ep 1 {2}step 2 {2}score 0 {2}lives 3 {2}Q: NOOP -?\d+\.\d\d\*? {2}RIGHT/);
    expect(r.out).toContain('\x1b[0m\x1b[?25h');
    expect(r.out).toMatch(/episode 1: return 0 in 3 steps/);
  });
});

describe('pixelrl play --render terminal', () => {
  it('stops at Ctrl-C after the current frame and restores the cursor', async () => {
    const listeners = process.listenerCount('SIGINT');
    const pending = play('--env', 'Catch-v0', '--policy', 'random', '--render', 'terminal', '--fps', '240');
    // runCommands has replaced stdout.write by a spy: interrupt once the first frame is written.
    const spy = process.stdout.write as unknown as { mock: { calls: unknown[][] } };
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (spy.mock.calls.length > 0) {
          clearInterval(poll);
          process.emit('SIGINT');
          resolve();
        }
      }, 1);
    });
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.out.endsWith('\x1b[0m\x1b[?25h')).toBe(true);
    // A random Catch game lasts over a hundred steps; the interrupted one drew only a few frames.
    expect(r.out.split('\x1b[H').length - 1).toBeLessThan(20);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});

describe('the bundled agent', () => {
  it('is found by its name from any folder, and plays', async () => {
    expect(resolveRunDir('cartpole-dqn')).toMatch(/checkpoints\/bundled\/cartpole-dqn$/);
    const out = join(dir, 'bundled.gif');
    const r = await play(
      'cartpole-dqn',
      '--out',
      out,
      '--max-steps',
      '30',
      '--epsilon',
      '0',
      '--backend',
      'cpu',
    );
    expect(r.code, r.err).toBe(0);
    // A trained agent keeps the pole up for the 30 steps asked for.
    expect(r.out).toMatch(/CartPole-v1 .*cartpole-dqn \(step 50000\) episode 1: return 30 in 30 steps/);
    expect(gifInfo(readFileSync(out))).toEqual({ width: 820, height: 400, frames: 30 });
  });
});

describe('pixelrl play --env', () => {
  it('plays the reference and the random policy without an agent', async () => {
    const out = join(dir, 'reference.gif');
    const r = await play(
      '--env',
      'Catch-v0',
      '--policy',
      'reference',
      '--out',
      out,
      '--max-steps',
      '4',
      '--scale',
      '1',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Catch-v0 reference episode 1: return 0 in 4 steps');
    expect(gifInfo(readFileSync(out)).frames).toBe(4);
    const random = await play(
      '--env',
      'Catch-v0',
      '--policy',
      'random',
      '--out',
      join(dir, 'r.png'),
      '--max-steps',
      '3',
    );
    expect(random.out).toContain('Catch-v0 random episode 1: return 0 in 3 steps');
  });

  it('keeps the large screens of classic envs at scale 1', async () => {
    const out = join(dir, 'cartpole.gif');
    const r = await play('--env', 'CartPole-v1', '--policy', 'random', '--out', out, '--max-steps', '3');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${out}: gif, 600x400, 3 frames at 30 fps`);
    expect(gifInfo(readFileSync(out))).toEqual({ width: 600, height: 400, frames: 3 });
  });

  it('says when a game has no reference policy, or when a panel has no values to show', async () => {
    const r = await play('--env', 'CartPole-v1', '--policy', 'reference', '--out', join(dir, 'c.gif'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no reference policy .*use --policy random/);
    const p = await play(
      '--env',
      'Catch-v0',
      '--policy',
      'random',
      '--panel',
      'values',
      '--out',
      join(dir, 'c.gif'),
    );
    expect(p.code).toBe(2);
    expect(p.err).toContain('the Catch-v0 random policy gives no action values');
  });
});

describe('pixelrl play: bad arguments', () => {
  it('exits with code 2 and a message that says what to do', async () => {
    const cases: [string[], RegExp][] = [
      [['--out', 'x.png'], /give a run to replay .* or --env <id> --policy random/],
      [[run, '--env', 'Catch-v0', '--out', 'x.png'], /either a run or --env/],
      [['--env', 'Catch-v0', '--out', 'x.png'], /needs --policy random or --policy reference/],
      [
        ['--env', 'Nope-v0', '--policy', 'random', '--out', 'x.png'],
        /unknown env "Nope-v0"; the registered envs are: .*Catch-v0/,
      ],
      [[run, '--out', join(dir, 'x.txt')], /use a \.png \(animated PNG\), \.gif or \.mp4 file name/],
      [[run, '--render', 'terminal', '--out', 'x.png'], /choose one of --render terminal and --out/],
      [
        [run, '--panel', 'policy', '--out', join(dir, 'y.png')],
        /a DQN agent has action values, not action probabilities/,
      ],
      [[run, '--epsilon', '2', '--out', 'x.png'], /--epsilon must be in \[0, 1\]/],
      [[run, '--scale', '0', '--out', 'x.png'], /--scale must be an integer from 1 to 16/],
    ];
    for (const [args, message] of cases) {
      const r = await play(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });

  it('names a malformed run directory', async () => {
    const bad = join(dir, 'not-a-run');
    mkdirSync(bad);
    writeFileSync(join(bad, 'config.json'), '{"env": "Catch-v0", "algo": "dqn"');
    const r = await play(bad, '--out', join(dir, 'z.png'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot load an agent from ${bad}:`);
    const missing = await play(join(dir, 'missing'), '--out', join(dir, 'z.png'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`cannot load an agent from ${join(dir, 'missing')}`);
  });

  it('refuses MP4 at once when ffmpeg is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      const r = await play(run, '--out', join(dir, 'e.mp4'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/needs ffmpeg, which is not on the PATH: install it .* or write an animated PNG/);
    } finally {
      process.env.PATH = path;
    }
  });
});
