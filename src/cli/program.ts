/**
 * The commander program behind `pixelrl`. Each subcommand lives in its own file and is added here.
 * Invalid arguments give a clear message and exit code 2, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { actorCommand } from './commands/actor.js';
import { dashboardCommand } from './commands/dashboard.js';
import { envsCommand } from './commands/envs.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { infoCommand } from './commands/info.js';
import { playCommand } from './commands/play.js';
import { plotCommand } from './commands/plot.js';
import { trainCommand } from './commands/train.js';
import { tsneCommand } from './commands/tsne.js';

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command('pixelrl')
    .description('Deep reinforcement learning for Node.js, with Atari-style pixel games.')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const command of [
    trainCommand(),
    evalCommand(),
    playCommand(),
    plotCommand(),
    tsneCommand(),
    exportCommand(),
    dashboardCommand(),
    actorCommand(),
    envsCommand(),
    infoCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`pixelrl: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
