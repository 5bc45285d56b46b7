/**
 * scripts/compare-evals.ts: the eval at a step and the mean over a window of steps before it
 * (worked out by hand), and the group read from a metrics.jsonl with its one-line error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalsAt, readGroup } from '../../scripts/compare-evals.js';
import type { EvalRecord } from '../../src/checkpoint/metric-records.js';

function evalAt(step: number, meanReturn: number): EvalRecord {
  return {
    kind: 'eval',
    step,
    frames: 4 * step,
    timeSeconds: step / 100,
    meanReturn,
    stdReturn: 1,
    episodes: 10,
  };
}

describe('compare-evals', () => {
  const evals = [evalAt(50, -20), evalAt(100, -18), evalAt(150, -15), evalAt(200, -12)];

  it('takes the eval at the step and the mean of the evals in (step − window, step]', () => {
    // (50, 200]: -18, -15, -12 → -15; the eval at 50 is outside the half-open window.
    expect(evalsAt(evals, 200, 150)).toEqual({ at: -12, windowMean: -15, count: 3 });
    // (75, 125]: only -18; no eval at exactly 125.
    expect(evalsAt(evals, 125, 50)).toEqual({ at: undefined, windowMean: -18, count: 1 });
    expect(evalsAt(evals, 40, 30)).toEqual({ at: undefined, windowMean: undefined, count: 0 });
  });

  it('reads a group label=dir,dir from metrics.jsonl files, evals only, in step order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-evals-'));
    const lines = [
      evalAt(100, -18),
      { kind: 'episode', step: 60, frames: 240, timeSeconds: 1, return: -21, length: 60, envIndex: 0 },
      evalAt(50, -20),
    ];
    writeFileSync(join(dir, 'metrics.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const group = readGroup(`tuned=${dir}`);
    expect(group.label).toBe('tuned');
    expect(group.runs.map((r) => r.evals.map((e) => e.step))).toEqual([[50, 100]]);
    expect(() => readGroup('no-label')).toThrow("--group 'no-label': expected label=runDir[,runDir…]");
  });
});
