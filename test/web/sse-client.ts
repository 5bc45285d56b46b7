/**
 * A minimal Server-Sent Events reader and raw HTTP GET for the dashboard tests (node:http: the
 * request path is sent exactly as given, `../` included, as an attacker would send it).
 */
import { get, type IncomingMessage } from 'node:http';
import type { DashboardEvent } from '../../src/web/server/events.js';

/** GET `path` from 127.0.0.1:`port` without normalizing it; resolves with the status and body. */
export function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

export interface EventLog {
  events: { at: number; event: DashboardEvent }[];
  close(): void;
}

/** Subscribes to `/events`; every event is logged with its arrival time (performance.now()). */
export function subscribe(port: number): Promise<EventLog> {
  return new Promise((resolve, reject) => {
    const log: EventLog = { events: [], close: () => {} };
    const req = get({ host: '127.0.0.1', port, path: '/events' }, (res: IncomingMessage) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end = buf.indexOf('\n\n');
        while (end >= 0) {
          const data = buf
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          if (data)
            log.events.push({ at: performance.now(), event: JSON.parse(data.slice(6)) as DashboardEvent });
          buf = buf.slice(end + 2);
          end = buf.indexOf('\n\n');
        }
      });
      log.close = () => req.destroy();
      resolve(log);
    });
    req.on('error', reject);
  });
}

/** Waits (polling every 20 ms, up to `timeoutMs`) until `check` returns a value. */
export async function until<T>(
  check: () => T | undefined | null | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (performance.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
