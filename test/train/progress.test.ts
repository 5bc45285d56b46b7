/**
 * The progress display and the trainer's status lines (issue 14, polish): a smoothed ETA, no
 * "0 SPS" for a finished short run, no "-0.0", a bar that never saves/restores the cursor and is
 * cleared before the last lines, one line per evaluation.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLASSIC_PRESET } from '../../agents/dqn-config.js';
import { initBackend } from '../../src/backend/select.js';
import { createProgress, etaSeconds, fixed, formatDuration } from '../../src/train/progress.js';
import { runDqn } from '../../src/train/run-dqn.js';
import { RUN_DEFAULTS } from '../../src/train/train-config.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('etaSeconds', () => {
  it('uses the average speed of the whole run: a pause moves it by the pause, not by 10×', () => {
    const start = { step: 0, timeMs: 0 };
    const total = 10_000;
    // 100 steps/s for 50 s: 5000 left at 100/s.
    expect(etaSeconds(start, 5000, 50_000, total)).toBeCloseTo(50, 9);
    // A 10 s evaluation pause: 5000 left at 5000/60 steps/s = 60 s (a 1-s window would say ∞).
    expect(etaSeconds(start, 5000, 60_000, total)).toBeCloseTo(60, 9);
    // Back to 100/s for 10 s: 4000 left at 6000/70 steps/s = 46.67 s.
    expect(etaSeconds(start, 6000, 70_000, total)).toBeCloseTo(4000 / (6000 / 70), 9);
    // Resumed at step 2000: only the steps of this process count.
    expect(etaSeconds({ step: 2000, timeMs: 1000 }, 3000, 11_000, total)).toBeCloseTo(70, 9);
    expect(etaSeconds(start, 0, 0, total)).toBeNaN();
  });

  it('formats durations and never prints -0.0', () => {
    expect([
      formatDuration(12.4),
      formatDuration(465),
      formatDuration(3720),
      formatDuration(Number.NaN),
    ]).toEqual(['12s', '7m45s', '1h02m', '-']);
    expect([fixed(-0.04, 1), fixed(-0.06, 1), fixed(0, 1), fixed(Number.NaN, 1)]).toEqual([
      '0.0',
      '-0.1',
      '0.0',
      '-',
    ]);
  });
});

describe('createProgress', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lines: a finished short run shows its average SPS, not 0, and ETA 0s', () => {
    const lines: string[] = [];
    let now = 0;
    const p = createProgress(
      64,
      'lines',
      (l) => lines.push(l),
      () => now,
    );
    p.update({ step: 8, sps: 0, epsilon: 1, meanReturn: Number.NaN });
    now = 500;
    p.update({ step: 64, sps: 0, epsilon: 0.5, meanReturn: -0.04 });
    expect(lines).toEqual([
      'step 8/64  - SPS  ε 1.000  return(100) -  ETA -',
      'step 64/64  112 SPS  ε 0.500  return(100) 0.0  ETA 0s',
    ]);
  });

  it('bar: one row, no cursor save/restore, cleared by stop() before the last lines', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      let now = 0;
      const p = createProgress(100, 'auto', undefined, () => now);
      p.update({ step: 10, epsilon: 0.9, meanReturn: 1 });
      now = 1000;
      p.update({ step: 50, epsilon: 0.5, meanReturn: 2 });
      p.stop();
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    const out = written.join('');
    // No cursor save/restore (ESC 7, ESC 8, CSI s, CSI u) and no newline.
    for (const code of ['\x1b7', '\x1b8', '\x1b[s', '\x1b[u', '\n']) expect(out).not.toContain(code);
    expect(out).toContain('50/100 | ETA 1s | 40 SPS | ε 0.500 | return 2.0');
    expect(written[written.length - 1]).toBe('\r\x1b[K');
  });
});

describe('status lines of a DQN run', () => {
  it('prints one line per evaluation', async () => {
    const lines: string[] = [];
    await runDqn({
      runDir: join(mkdtempSync(join(tmpdir(), 'pixelrl-progress-')), 'run'),
      config: {
        ...RUN_DEFAULTS,
        env: 'CartPole-v1',
        steps: 32,
        evalInterval: 16,
        evalEpisodes: 1,
        evalNoopMax: 0,
        checkpointInterval: 0,
        saveReplay: false,
        dqn: { ...CLASSIC_PRESET, net: '[8,relu]', bufferSize: 100, learningStarts: 8, batchSize: 4 },
      },
      progress: 'off',
      log: (l) => lines.push(l),
    });
    const evals = lines.filter((l) => l.startsWith('eval at step'));
    expect(evals).toHaveLength(2);
    expect(evals[0]).toMatch(/^eval at step 16: return \d+\.\d ± 0\.0 \(1 episodes\)$/);
    expect(evals[1]).toMatch(/^eval at step 32: /);
  });
});
