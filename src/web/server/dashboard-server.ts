/**
 * The live dashboard's server (node:http): one page, its bundled script, and a Server-Sent
 * Events stream of the watched runs' metrics.jsonl records, polled every `pollMs` (500 ms), so a
 * new line reaches the page well within 2 s. Also the latest checkpoint's agent, for the page's
 * player (run.json and the model files, from memory).
 *
 * What it will serve is a fixed list of routes, nothing else: static files come only from this
 * package (the bundle built from its own sources, the tfjs wasm binaries it depends on), no path
 * from a request ever reaches the file system, and anything else (`../` included) is a 404. It
 * binds 127.0.0.1 unless told otherwise, and writes nothing.
 *
 *   GET /                          the dashboard page
 *   GET /dashboard.js              its script (esbuild bundle of src/web/dashboard/main.ts)
 *   GET /tfjs-backend-wasm*.wasm   tfjs' wasm binaries (the player's fallback backend)
 *   GET /events                    SSE: `runs`, then `records` / `checkpoint` / `problem` as they happen
 *   GET /runs/<i>/run.json         run i's agent description (web-run.ts)
 *   GET /runs/<i>/<model>/model.json | weights.bin   its networks
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundle, WASM_FILES, wasmFile } from '../bundle.js';
import { dashboardHtml } from '../html.js';
import type { DashboardEvent, RunInfo } from './events.js';
import { WatchedRun } from './watched-run.js';

export interface DashboardOptions {
  /** Run directories to watch (they may not exist yet: `train --dashboard` starts before the run). */
  runs: string[];
  /** 0 picks a free port. */
  port: number;
  /** Interface to bind; default 127.0.0.1 (this machine only). */
  host?: string;
  /** How often the runs are read, ms. Default 500. */
  pollMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Thrown when the port cannot be bound; the CLI turns it into exit code 2. */
export class PortInUseError extends Error {}

type Asset = { type: string; body: Buffer | string };

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const runs = options.runs.map((dir) => new WatchedRun(dir));
  // Built while the port is bound (so a port in use fails at once); requests wait for them.
  const assetsReady = (async () => {
    const assets = new Map<string, Asset>([
      ['/', { type: 'text/html; charset=utf-8', body: dashboardHtml() }],
      ['/dashboard.js', { type: 'text/javascript; charset=utf-8', body: await bundle('dashboard') }],
    ]);
    for (const name of WASM_FILES) {
      assets.set(`/${name}`, { type: 'application/wasm', body: await readFile(wasmFile(name)) });
    }
    return assets;
  })();
  assetsReady.catch(() => {}); // awaited below, after listen

  const clients = new Set<ServerResponse>();
  const send = (res: ServerResponse, e: DashboardEvent) =>
    res.write(`event: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
  const broadcast = (e: DashboardEvent) => {
    for (const c of clients) send(c, e);
  };
  const info = (): RunInfo[] =>
    runs.map((r, id) => ({
      id,
      name: r.name,
      dir: r.dir,
      config: r.config,
      checkpointStep: r.checkpointStep,
    }));

  let polling = Promise.resolve();
  const pollAll = async () => {
    for (const [id, run] of runs.entries()) {
      const c = await run.poll();
      if (c.config) broadcast({ kind: 'runs', runs: info() });
      if (c.restarted || c.records.length > 0) {
        broadcast({
          kind: 'records',
          run: id,
          restarted: c.restarted,
          at: run.records.length - c.records.length,
          records: c.records,
        });
      }
      if (c.checkpointStep !== null) broadcast({ kind: 'checkpoint', run: id, step: c.checkpointStep });
      if (c.problem) broadcast({ kind: 'problem', run: id, message: c.problem });
    }
  };
  await pollAll();
  const timer = setInterval(() => {
    polling = polling.then(pollAll);
  }, options.pollMs ?? 500);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${err.message.split('\n')[0]}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const asset = (await assetsReady).get(path);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' }).end(asset.body);
      return;
    }
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      clients.add(res);
      req.on('close', () => clients.delete(res));
      // Whatever the page missed: every run and all its records so far, then live updates.
      await polling;
      send(res, { kind: 'runs', runs: info() });
      for (const [id, run] of runs.entries()) {
        send(res, { kind: 'records', run: id, restarted: true, at: 0, records: run.records });
        if (run.checkpointStep !== null) send(res, { kind: 'checkpoint', run: id, step: run.checkpointStep });
      }
      return;
    }
    const m = /^\/runs\/(\d+)\/(?:(run\.json)|([A-Za-z]+)\/(model\.json|weights\.bin))$/.exec(path);
    const run = m ? runs[Number(m[1])] : undefined;
    if (!m || !run || run.checkpointStep === null) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const loaded = await run.webRun();
    if (m[2]) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(loaded.run));
      return;
    }
    const model = loaded.models.find((x) => x.name === m[3]);
    if (!model) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const json = m[4] === 'model.json';
    res
      .writeHead(200, { 'content-type': json ? 'application/json' : 'application/octet-stream' })
      .end(json ? model.modelJson : Buffer.from(model.weights));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(
        err.code === 'EADDRINUSE'
          ? new PortInUseError(
              `port ${options.port} on ${host} is in use: stop what listens there or pick another --port`,
            )
          : err,
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  try {
    await assetsReady;
  } catch (err) {
    clearInterval(timer);
    server.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: async () => {
      clearInterval(timer);
      await polling;
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
