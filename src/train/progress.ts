/**
 * Progress display: a `cli-progress` bar (steps, SPS, ε, recent mean return, ETA) when stderr is
 * a terminal, and a plain line every few seconds otherwise (logs, CI, pipes).
 */
import cliProgress from 'cli-progress';

export interface ProgressFields {
  step: number;
  sps: number;
  epsilon: number;
  /** Mean return of the last 100 episodes, NaN before the first. */
  meanReturn: number;
}

export interface ProgressReporter {
  update(fields: ProgressFields): void;
  stop(): void;
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

/**
 * @param mode `bar` on a terminal, `lines` otherwise, `auto` picks by `process.stderr.isTTY`,
 *   `off` prints nothing.
 */
export function createProgress(
  total: number,
  mode: 'auto' | 'bar' | 'lines' | 'off',
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): ProgressReporter {
  const chosen = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
  if (chosen === 'off') return { update() {}, stop() {} };
  if (chosen === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        format: '{bar} {value}/{total} steps | {sps} SPS | ε {epsilon} | return {ret} | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { sps: '-', epsilon: '-', ret: '-' });
    return {
      update: (f) =>
        bar.update(f.step, { sps: fmt(f.sps, 0), epsilon: fmt(f.epsilon, 3), ret: fmt(f.meanReturn, 1) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(f) {
      const now = Date.now();
      if (now - last < 10_000 && f.step < total) return;
      last = now;
      const eta = f.sps > 0 ? `${Math.round((total - f.step) / f.sps)} s` : '-';
      write(
        `step ${f.step}/${total}  ${fmt(f.sps, 0)} SPS  ε ${fmt(f.epsilon, 3)}  return(100) ${fmt(f.meanReturn, 1)}  ETA ${eta}`,
      );
    },
    stop() {},
  };
}
