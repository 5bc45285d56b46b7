/**
 * `pixelrl dashboard [runs…] [--port 8080] [--host 127.0.0.1]`: a live web dashboard of run
 * directories (src/web/server/dashboard-server.ts): reward curves, loss, mean Q, ε, SPS,
 * progress and ETA, updated as metrics.jsonl grows, and the latest checkpoint's agent playing.
 * Without runs it shows every run under checkpoints/. It runs until Ctrl-C.
 *
 * `pixelrl train --dashboard` uses {@link withDashboard} to watch the run it trains.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { type Dashboard, PortInUseError, startDashboard } from '../../web/server/dashboard-server.js';
import { CHECKPOINTS_DIR, intArg, resolveRunDir } from './cli-args.js';

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
    .option('--port <n>', 'port to listen on (0: any free one)', intArg('--port', 0, 65535), 8080)
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

/**
 * `pixelrl train --dashboard [port]`: serves the dashboard of `runDir` (which the training is
 * about to write) while `train` runs, then stops it. A port in use fails before training starts.
 */
export async function withDashboard<T>(
  runDir: string,
  port: number | undefined,
  log: (line: string) => void,
  train: () => Promise<T>,
): Promise<T> {
  if (port === undefined) return train();
  const dashboard = await startDashboard({ runs: [runDir], port });
  log(`dashboard at ${dashboard.url}`);
  try {
    return await train();
  } finally {
    await dashboard.close();
  }
}
