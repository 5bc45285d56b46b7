/**
 * Progress display: a one-row bar (steps, ETA, SPS, ε, recent mean return) when stderr is a
 * terminal, and a plain line every few seconds otherwise (logs, CI, pipes).
 *
 * The bar's glyphs are cli-progress's (`Format.BarFormat` with its shades preset), but the row is
 * drawn here, as `\r` + text + clear-to-end, never wider than the terminal. cli-progress's
 * SingleBar saves the cursor position when it starts and restores it when it stops, so a line
 * printed while it runs (Ctrl-C's "stopping…", an evaluation) sent the last lines back over stale
 * rows ("continue with: pixelrl train --resume checkpoints/ctrlcA 7m45s"). Drawn this way, any
 * status line written as `\r\x1b[K` + line + `\n` (the CLI's log) simply takes the bar's row, the
 * bar comes back on the next row at its next update, and `stop()` clears it before the last lines.
 *
 * ETA and SPS are averages over the whole run in this process (remaining steps ÷ steps per second
 * since the display started): steady, where a recent-speed ETA jumped (332 → 280 → 802 s) with
 * every evaluation and checkpoint pause.
 */
import cliProgress from 'cli-progress';
import { fixed } from '../util/fixed.js';

export interface ProgressFields {
  step: number;
  /** Recent steps per second; when absent or not > 0 the display shows its own run average. */
  sps?: number;
  epsilon: number;
  /** Mean return of the last 100 episodes, NaN before the first. */
  meanReturn: number;
}

export interface ProgressReporter {
  update(fields: ProgressFields): void;
  /** Ends the display; a bar is cleared from the terminal (the next line starts on a clean row). */
  stop(): void;
}

export { fixed } from '../util/fixed.js';

/**
 * Seconds left at the run's average speed since `start`: (total − step) ÷ ((step − start.step) ÷
 * (now − start.time)). NaN until a step and some time have passed.
 */
export function etaSeconds(
  start: { step: number; timeMs: number },
  step: number,
  nowMs: number,
  total: number,
): number {
  const done = step - start.step;
  const seconds = (nowMs - start.timeMs) / 1000;
  if (!(done > 0) || !(seconds > 0)) return Number.NaN;
  return Math.max(0, total - step) / (done / seconds);
}

/** `1h02m`, `7m45s`, `12s`; `-` when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Steps per second to show: the caller's recent figure, else the average since `start`. */
function shownSps(f: ProgressFields, start: { step: number; timeMs: number }, nowMs: number): number {
  if (f.sps !== undefined && f.sps > 0) return f.sps;
  const seconds = (nowMs - start.timeMs) / 1000;
  return seconds > 0 && f.step > start.step ? (f.step - start.step) / seconds : Number.NaN;
}

const BAR_OPTIONS = {
  barsize: 20,
  barCompleteString: cliProgress.Presets.shades_classic.barCompleteChar.repeat(20),
  barIncompleteString: cliProgress.Presets.shades_classic.barIncompleteChar.repeat(20),
  barGlue: '',
};

/**
 * @param mode `bar` on a terminal, `lines` otherwise, `auto` picks by `process.stderr.isTTY`,
 *   `off` prints nothing. A bar asked for where stderr is not a terminal prints lines instead
 *   (its carriage returns would run into the log lines of a file or pipe).
 * @param write where `lines` go (default stderr); the bar always draws on stderr.
 * @param clock milliseconds (tests give a synthetic one).
 */
/** The display `mode` gives here: a bar only where stderr is a terminal. */
export function progressMode(mode: 'auto' | 'bar' | 'lines' | 'off'): 'bar' | 'lines' | 'off' {
  return mode === 'auto' || mode === 'bar' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
}

export function createProgress(
  total: number,
  mode: 'auto' | 'bar' | 'lines' | 'off',
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  clock: () => number = () => performance.now(),
): ProgressReporter {
  const chosen = progressMode(mode);
  if (chosen === 'off') return { update() {}, stop() {} };
  let start: { step: number; timeMs: number } | null = null;
  const describe = (f: ProgressFields, now: number) => {
    start ??= { step: f.step, timeMs: now };
    const sps = shownSps(f, start, now);
    return {
      sps: fixed(sps, 0),
      epsilon: fixed(f.epsilon, 3),
      ret: fixed(f.meanReturn, 1),
      eta: f.step >= total ? '0s' : formatDuration(etaSeconds(start, f.step, now, total)),
    };
  };
  if (chosen === 'bar') {
    const stream = process.stderr;
    let lastDraw = Number.NEGATIVE_INFINITY;
    let drawn = false;
    return {
      update(f) {
        const now = clock();
        const d = describe(f, now);
        if (now - lastDraw < 100 && f.step < total) return;
        lastDraw = now;
        const bar = cliProgress.Format.BarFormat(Math.min(1, f.step / total), BAR_OPTIONS);
        // ETA first: on a narrow terminal the row is cut from the right.
        const text = `${bar} ${f.step}/${total} | ETA ${d.eta} | ${d.sps} SPS | ε ${d.epsilon} | return ${d.ret}`;
        stream.write(`\r${text.slice(0, Math.max(10, (stream.columns ?? 80) - 1))}\x1b[K`);
        drawn = true;
      },
      stop() {
        if (drawn) stream.write('\r\x1b[K');
        drawn = false;
      },
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(f) {
      const now = clock();
      const d = describe(f, now);
      if (now - last < 10_000 && f.step < total) return;
      last = now;
      write(`step ${f.step}/${total}  ${d.sps} SPS  ε ${d.epsilon}  return(100) ${d.ret}  ETA ${d.eta}`);
    },
    stop() {},
  };
}
