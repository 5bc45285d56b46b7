/**
 * scripts/bundle-run.ts: a run copied without its replay memory keeps everything else of its
 * checkpoint bit for bit (counters, RNG states, optimizer moments, both networks) and its logs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyRunWithoutReplay } from '../../scripts/bundle-run.js';
import { disposeCheckpoint, readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { runCommands } from '../cli/viewer-helpers.js';

describe('copyRunWithoutReplay', () => {
  it('drops the replay part and keeps the rest of the checkpoint and the logs unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrl-bundle-'));
    const src = join(dir, 'catch');
    const r = await runCommands(
      [trainCommand()],
      [
        'train',
        '--env',
        'Catch-v0',
        '--steps',
        '300',
        '--seed',
        '3',
        '--buffer-size',
        '400',
        '--net',
        '[c4k8s4,relu:16,relu]',
        '--learning-starts',
        '260',
        '--batch-size',
        '4',
        '--run-name',
        src,
        '--backend',
        'cpu',
        '--progress',
        'off',
        '--eval-episodes',
        '0',
      ],
    );
    expect(r.code, r.err).toBe(0);
    const dest = join(dir, 'bundle');
    await copyRunWithoutReplay(src, dest);

    const a = await readCheckpoint(src, 'dqn');
    const b = await readCheckpoint(dest, 'dqn');
    try {
      expect(Object.keys(a.parts)).toContain('replay');
      expect(Object.keys(b.parts).sort()).toEqual(
        Object.keys(a.parts)
          .filter((p) => p !== 'replay')
          .sort(),
      );
      expect(b.manifest.step).toBe(300);
      for (const [name, part] of Object.entries(b.parts)) {
        const original = a.parts[name];
        expect(part.json).toEqual(original.json);
        expect(Object.keys(part.arrays)).toEqual(Object.keys(original.arrays));
        for (const [k, v] of Object.entries(part.arrays)) expect(v).toEqual(original.arrays[k]);
        for (const [k, m] of Object.entries(part.models)) {
          const w = m.getWeights().map((t) => t.dataSync());
          const o = original.models[k].getWeights().map((t) => t.dataSync());
          expect(w).toEqual(o);
        }
      }
    } finally {
      disposeCheckpoint(a);
      disposeCheckpoint(b);
    }
    expect(readdirSync(join(dest, 'checkpoint')).filter((f) => f.startsWith('replay.'))).toEqual([]);
    for (const f of ['config.json', 'metrics.jsonl', 'metrics.csv'])
      expect(readFileSync(join(dest, f), 'utf8')).toBe(readFileSync(join(src, f), 'utf8'));
    expect(existsSync(join(dest, 'best'))).toBe(false);
    // The destination must be new: a second copy onto it is refused.
    await expect(copyRunWithoutReplay(src, dest)).rejects.toThrow(/exist/);
  });
});
