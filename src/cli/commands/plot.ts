/**
 * `pixelrl plot <run...>`: reward curves of one or more runs (episodic return against agent
 * steps, emulator frames or wall time; raw points, a rolling mean, the mean and min–max band of
 * several seeds, evaluations as diamonds, the env's random and reference scores as dashed lines) to PNG / SVG
 * (and the vega-lite spec as .json). The drawing is src/viz/reward-plot.ts; this file only finds
 * the runs and the score anchors.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createRegistry } from '../../../envs/registry.js';
import { fontWarning, plotRuns, type RewardPlotOptions, readRun } from '../../viz/index.js';
import { collect, intArg, resolveRunDir } from './cli-args.js';

interface PlotFlags {
  out?: string[];
  x: 'steps' | 'frames' | 'time';
  window?: number;
  label?: string[];
  title?: string;
  scores?: { random: number; reference: number };
  /** False with --no-scores. */
  referenceLines: boolean;
}

/** `--scores -2.6,15.9` → { random: -2.6, reference: 15.9 }. */
export function scoresArg(v: string): { random: number; reference: number } {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] === parts[1]) {
    throw new InvalidArgumentError(
      '--scores takes two different numbers: random,reference (e.g. --scores -2.6,15.9)',
    );
  }
  return { random: parts[0], reference: parts[1] };
}

/**
 * The random and reference scores to draw: the flag's, else the registry's for the runs' env when
 * they all share one env that has them, else none.
 */
export function scoreLines(envIds: readonly string[]): { random: number; reference: number } | undefined {
  const ids = [...new Set(envIds)];
  if (ids.length !== 1) return undefined;
  const registry = createRegistry();
  if (!registry.ids().includes(ids[0])) return undefined;
  const scores = registry.spec(ids[0]).scores;
  return scores ? { random: scores.random, reference: scores.reference } : undefined;
}

export function plotCommand(): Command {
  const cmd = new Command('plot')
    .description('draw the reward curves of one or more runs (seeds and algorithms on one chart) to PNG/SVG')
    .argument('<run...>', 'run names under checkpoints/ or run directories')
    .option('-o, --out <file>', 'output file, .png, .svg or .json (vega-lite spec); repeatable', collect)
    .addOption(
      new Option('--x <axis>', 'x axis: agent steps (what --steps counts), emulator frames, or wall time')
        .choices(['steps', 'frames', 'time'])
        .default('steps'),
    )
    .option(
      '--window <n>',
      'rolling-mean window in episodes (default: a tenth of the episodes, at most 100)',
      intArg('--window', 1),
    )
    .option(
      '--label <name>',
      'legend label of each run, in order (runs with one label form a band); repeatable',
      collect,
    )
    .option('--title <text>', 'chart title (default: the env)')
    .option(
      '--scores <random,reference>',
      'draw these random and reference scores (default: the env’s)',
      scoresArg,
    )
    .option('--no-reference-lines', 'draw no random/reference score lines');

  cmd.action(async (runs: string[], flags: PlotFlags) => {
    const fail = (msg: string): never => cmd.error(`error: ${msg}`, { exitCode: 2 });
    const outputs = flags.out ?? ['reward-curve.png'];
    const bad = outputs.filter((p) => !/\.(png|svg|json)$/i.test(p));
    if (bad.length) fail(`cannot write ${bad.join(', ')}: use .png, .svg or .json file names`);
    if (flags.label && flags.label.length !== runs.length) {
      fail(`${flags.label.length} --label for ${runs.length} runs: give one label per run, in order`);
    }
    const dirs = runs.map(resolveRunDir);
    // Read once up front so that a bad run directory fails here with its name, before any drawing.
    let envIds: string[];
    try {
      envIds = dirs.map((d) => readRun(d).config.env);
    } catch (err) {
      return fail((err as Error).message);
    }
    const options: RewardPlotOptions = { x: flags.x };
    if (flags.window !== undefined) options.window = flags.window;
    if (flags.label) options.labels = flags.label;
    if (flags.title) options.title = flags.title;
    const scores = flags.referenceLines ? (flags.scores ?? scoreLines(envIds)) : undefined;
    if (scores) options.scores = scores;
    let result: Awaited<ReturnType<typeof plotRuns>>;
    try {
      result = await plotRuns(dirs, outputs, options);
    } catch (err) {
      return fail((err as Error).message);
    }
    const size = result.pngSize ? ` (PNG ${result.pngSize.width}x${result.pngSize.height})` : '';
    process.stdout.write(`wrote ${result.paths.join(', ')}${size}\n`);
    if (!scores && flags.referenceLines) {
      process.stdout.write(
        `note: ${[...new Set(envIds)].join(', ')} has no random/reference scores; give them with --scores random,reference\n`,
      );
    }
    const warnings = [...result.warnings];
    const font = outputs.some((p) => /\.png$/i.test(p)) ? fontWarning() : null;
    if (font && !warnings.includes(font)) warnings.push(font);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  });
  return cmd;
}
