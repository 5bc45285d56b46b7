/**
 * Actor processes on this machine (`pixelrl train --distributed --local-actors N`): each is
 * `pixelrl actor` in a child process (the same entry this code runs from: tsx for TypeScript
 * sources, node for dist/), its stderr lines prefixed and handed to `log`.
 *
 * The Redis URL travels in the child's environment (PIXELRL_REDIS_URL), not its argv, so that a
 * password in it is not shown by `ps`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LocalActorsOptions {
  redisUrl: string;
  run: string;
  count: number;
  /** Envs per actor (default: the run's). */
  envs?: number;
  /** Extra `pixelrl actor` arguments (e.g. ['--backend', 'cpu']). */
  args?: string[];
  log?: (line: string) => void;
}

/** The command that runs `pixelrl <args>` from this installation. */
export function pixelrlCommand(args: string[]): { command: string; args: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSource ? '../cli/main.ts' : '../cli/main.js', import.meta.url));
  return { command: process.execPath, args: [...(fromSource ? ['--import', 'tsx'] : []), main, ...args] };
}

/** Spawns one actor process; its stderr goes line by line to `log` with a `[name]` prefix. */
export function spawnActor(options: Omit<LocalActorsOptions, 'count'>, name: string): ChildProcess {
  const log = options.log ?? (() => {});
  const argv = [
    'actor',
    '--run',
    options.run,
    ...(options.envs ? ['--envs', String(options.envs)] : []),
    ...(options.args ?? []),
  ];
  const { command, args } = pixelrlCommand(argv);
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PIXELRL_REDIS_URL: options.redisUrl },
  });
  let partial = '';
  const onData = (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') log(`[${name}] ${line}`);
  };
  child.stderr?.on('data', onData);
  child.stdout?.on('data', onData);
  return child;
}

export function spawnLocalActors(options: LocalActorsOptions): ChildProcess[] {
  return Array.from({ length: options.count }, (_, i) => spawnActor(options, `actor ${i}`));
}

/** Waits up to `graceMs` for the children to exit (they do when the run is done), then ends them. */
export async function stopActors(children: ChildProcess[], graceMs = 5000): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const term = setTimeout(() => child.kill('SIGTERM'), graceMs);
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs + 5000);
      await exited;
      clearTimeout(term);
      clearTimeout(kill);
    }),
  );
}
