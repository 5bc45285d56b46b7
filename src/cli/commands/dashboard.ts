/**
 * `pixelrl dashboard [runs…] [--port 8080] [--host 127.0.0.1]`: a live web dashboard of run
 * directories (src/web/server/dashboard-server.ts): reward curves, loss, mean Q, ε, SPS,
 * progress and ETA, updated as metrics.jsonl grows, and the latest checkpoint's agent playing.
 * Without runs it shows every run under checkpoints/. It runs until Ctrl-C.
 *
 * `pixelrl train --dashboard` uses {@link startTrainDashboard} to watch the run it trains.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { initBackend } from '../../backend/select.js';
import { type Dashboard, PortInUseError, startDashboard } from '../../web/server/dashboard-server.js';
import { CHECKPOINTS_DIR, intArg, resolveRunDir } from './cli-args.js';

const DEFAULT_PORT = 8080;

interface DashboardFlags {
  port: number;
  host: string;
}

export function dashboardCommand(): Command {
  const cmd = new Command('dashboard')
    .description(
      'a live web dashboard of training runs (reward curves, loss, ε, SPS, ETA, the agent playing)',
    )
    .argument(
      '[runs...]',
      'run names under checkpoints/, run directories, or bundled agents (default: all runs)',
    )
    .option('--port <n>', 'port to listen on (0: any free one)', intArg('--port', 0, 65535), DEFAULT_PORT)
    .option('--host <addr>', 'address to bind (127.0.0.1: this machine only)', '127.0.0.1');

  cmd.action(async (names: string[], flags: DashboardFlags) => {
    const fail = (msg: string): never => cmd.error(`error: ${msg.split('\n')[0]}`, { exitCode: 2 });
    const runs = names.length > 0 ? names.map(resolveRunDir) : allRuns();
    if (runs.length === 0)
      fail(`no runs under ${CHECKPOINTS_DIR}/: give run directories, e.g. pixelrl dashboard catch-dqn`);
    for (const dir of runs) {
      if (!existsSync(join(dir, 'config.json')) || !existsSync(join(dir, 'metrics.jsonl'))) {
        fail(
          `${dir} is not a run directory (it needs config.json and metrics.jsonl, as pixelrl train writes them)`,
        );
      }
    }
    // The server reads checkpoints (for the page's player) with tfjs' CPU kernels; the page computes.
    await initBackend({ backend: 'cpu' });
    const dashboard = await open({ runs, port: flags.port, host: flags.host }).catch((err: Error) =>
      fail(err.message),
    );
    process.stdout.write(`dashboard of ${runs.length} run(s) at ${dashboard.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await dashboard.close();
  });
  return cmd;
}

/** Starts the dashboard; a port in use becomes an Error with the message the CLI prints. */
async function open(options: Parameters<typeof startDashboard>[0]): Promise<Dashboard> {
  try {
    return await startDashboard(options);
  } catch (err) {
    if (err instanceof PortInUseError) throw err;
    throw new Error(`the dashboard did not start: ${(err as Error).message}`);
  }
}

/** Every run directory directly under checkpoints/ (and checkpoints/bundled/). */
function allRuns(): string[] {
  const out: string[] = [];
  for (const root of [CHECKPOINTS_DIR, join(CHECKPOINTS_DIR, 'bundled')]) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'metrics.jsonl'))) out.push(dir);
    }
  }
  return out;
}

/** `pixelrl train`'s `--dashboard [port]` option: a port, or `true` for the default 8080. */
export function dashboardOption(): Option {
  return new Option(
    '--dashboard [port]',
    'serve a live dashboard of this run while it trains (port default 8080)',
  ).argParser(intArg('--dashboard', 0, 65535));
}

/**
 * `pixelrl train --dashboard [port]`: serves the dashboard of `runDir` (which the training is
 * about to write) while `train` runs; the caller closes it after. A port in use fails (through
 * `fail`, exit code 2) before training starts. Returns null without the flag.
 */
export async function startTrainDashboard(
  runDir: string,
  flag: number | boolean | undefined,
  log: (line: string) => void,
  fail: (message: string) => never,
): Promise<Dashboard | null> {
  if (flag === undefined || flag === false) return null;
  const dashboard = await open({ runs: [runDir], port: flag === true ? DEFAULT_PORT : flag }).catch(
    (err: Error) => fail(err.message),
  );
  log(`dashboard at ${dashboard.url}`);
  return dashboard;
}
