/**
 * `pixelrl export <run> --out dir/`: writes a static web page in which the run's agent plays its
 * game (src/web/export-page.ts): open it from any static file host (`npx http-server dir/`,
 * `python3 -m http.server -d dir/`). Works for DQN, REINFORCE, A2C and PPO runs and for the
 * bundled agents (`pixelrl export catch-dqn --out site/`).
 */
import { existsSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { initBackend } from '../../backend/select.js';
import { exportPage } from '../../web/export-page.js';
import { intArg, rangeArg, resolveRunDir } from './cli-args.js';

interface ExportFlags {
  out: string;
  epsilon: number;
  noopMax: number;
}

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('write a static web page in which the run’s agent plays its game (tfjs in the browser)')
    .argument('<run>', 'run name under checkpoints/, a run directory, or a bundled agent (catch-dqn)')
    .requiredOption('--out <dir>', 'folder to write the page into (created if missing)')
    .option(
      '--epsilon <x>',
      'ε of the agent on the page (0.05 as in play)',
      rangeArg('--epsilon', 0, 1),
      0.05,
    )
    .option('--noop-max <n>', 'up to this many no-ops at episode start', intArg('--noop-max', 0), 30);

  cmd.action(async (run: string, flags: ExportFlags) => {
    const fail = (msg: string): never => cmd.error(`error: ${msg.split('\n')[0]}`, { exitCode: 2 });
    if (existsSync(flags.out) && !statSync(flags.out).isDirectory()) {
      fail(`--out ${flags.out} is a file; give a folder to write the page into`);
    }
    const runDir = resolveRunDir(run);
    // Loading the checkpoint only needs tfjs' CPU kernels; the page picks its own backend.
    await initBackend({ backend: 'cpu' });
    const result = await exportPage(runDir, flags.out, {
      epsilon: flags.epsilon,
      noopMax: flags.noopMax,
    }).catch((err: Error) => fail(err.message));
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    process.stdout.write(
      `wrote ${result.outDir}/index.html: ${result.run.label}; app.js ${mb(result.scriptBytes)}, ` +
        `model ${mb(result.modelBytes)} (+ wasm fallback ${mb(result.wasmBytes)}, fetched only without WebGL)\n` +
        `serve the folder with any static file server, e.g. python3 -m http.server -d ${result.outDir}\n`,
    );
  });
  return cmd;
}
