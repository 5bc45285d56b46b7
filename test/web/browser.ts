/**
 * Helpers of the browser tests: headless Chromium through puppeteer-core (Debian's `chromium`,
 * or the one PIXELRL_CHROMIUM / CHROME_PATH names; nothing is downloaded), and a minimal static
 * file server for an exported page (the page needs http:, not file:, to fetch its model).
 *
 * When no browser starts, {@link launchBrowser} gives the reason: the tests skip with it, except
 * under CI=true, where they fail with it (CI installs chromium: .ci/run).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export type BrowserLaunch = { browser: Browser; reason: null } | { browser: null; reason: string };

export async function launchBrowser(): Promise<BrowserLaunch> {
  const asked = process.env.PIXELRL_CHROMIUM ?? process.env.CHROME_PATH;
  const path = asked ?? CANDIDATES.find((p) => existsSync(p));
  if (!path) {
    return {
      browser: null,
      reason: `no Chromium found (looked for ${CANDIDATES.join(', ')}; apt-get install -y chromium)`,
    };
  }
  try {
    const browser = await puppeteer.launch({
      executablePath: path,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    return { browser, reason: null };
  } catch (err) {
    return {
      browser: null,
      reason: `Chromium at ${path} did not start: ${(err as Error).message.split('\n')[0]}`,
    };
  }
}

/** Under CI=true a missing browser is a failure, elsewhere a skip; returns whether to skip. */
export function mustSkip(launch: BrowserLaunch): boolean {
  if (launch.browser) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true and no browser could start: ${launch.reason}`);
  process.stderr.write(`skipping the browser tests: ${launch.reason}\n`);
  return true;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** Serves `dir` on 127.0.0.1 (a free port) as a plain static host would. */
export async function serveDir(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(normalize(dir) + sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
