/**
 * A private `redis-server` on a free loopback port, for `pixelrl train --local-actors` (and for
 * the tests and the benchmark): no persistence (`--save '' --appendonly no`), bound to 127.0.0.1,
 * stopped with the process that started it.
 *
 * Redis cannot pick its own port (`--port 0` turns TCP off), so a port the OS just gave a
 * throwaway server is reused; the small race with another program is retried.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { delimiter, join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** The server process (a test kills it with SIGKILL to simulate a crash). */
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

/** The redis-server binary on PATH (or /usr/bin), or null. */
export function findRedisServer(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return null;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on `port` (default: a free one); resolves once it accepts connections. */
export async function startRedisServer(
  options: {
    port?: number;
    binary?: string;
    /** Extra server options, e.g. ['--requirepass', password]. */
    args?: string[];
  } = {},
): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (!binary) {
    throw new Error(
      'redis-server is not installed (Debian/Ubuntu: apt-get install redis-server); or pass --redis URL',
    );
  }
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      if (output.length < 4000) output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (output.length < 4000) output += d.toString();
    });
    const up = await waitForPort(port, child, 5000);
    if (up) return serverOf(child, port);
    child.kill('SIGKILL');
    if (options.port !== undefined || attempt >= 2) {
      throw new Error(`redis-server did not start on port ${port}: ${output.trim().split('\n').pop() ?? ''}`);
    }
  }
}

function serverOf(child: ChildProcess, port: number): RedisServer {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await canConnect(port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
