/** The line `pixelrl train` prints when a run ends, for DQN and the on-policy algos alike. */

export interface RunOutcome {
  /** Stopped before its budget (Ctrl-C). */
  stopped: boolean;
  steps: number;
  seconds: number;
  episodes: number;
  /** Mean return of the last 100 training episodes; NaN before the first. */
  meanReturn: number;
  lastEval: { meanReturn: number; stdReturn: number } | null;
}

/** `trained N steps in S s: E episodes, mean return (last 100) M, evaluation m ± s` + the run directory. */
export function runSummary(o: RunOutcome, runDir: string): string {
  const evalText = o.lastEval
    ? `, evaluation ${o.lastEval.meanReturn.toFixed(1)} ± ${o.lastEval.stdReturn.toFixed(1)}`
    : '';
  const mean = Number.isNaN(o.meanReturn) ? '-' : o.meanReturn.toFixed(1);
  return (
    `${o.stopped ? 'stopped' : 'trained'} ${o.steps} steps in ${o.seconds.toFixed(0)} s: ` +
    `${o.episodes} episodes, mean return (last 100) ${mean}${evalText}\nrun directory: ${runDir}\n`
  );
}
