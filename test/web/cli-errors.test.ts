/**
 * Bad input to `pixelrl export` and `pixelrl dashboard`: one clear line on stderr and exit code
 * 2, nothing written (issue 17's acceptance: export of a non-run, a dashboard port in use).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-web-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `pixelrl <args>`, returning its exit code and what it wrote to stderr. */
async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await runCli(['node', 'pixelrl', ...args]), err };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => !l.includes('TensorFlow.js') && !/^=+$/.test(l) && l !== '');

describe('pixelrl export: bad input', () => {
  test('a folder that is not a run → exit 2, one line naming it, no page written', async () => {
    const notRun = join(dir, 'not-a-run');
    mkdirSync(notRun);
    writeFileSync(join(notRun, 'notes.txt'), 'hello');
    const out = join(dir, 'site');
    const r = await cli(['export', notRun, '--out', out]);
    expect(r.code).toBe(2);
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toMatch(/error: .*not-a-run is not a run an agent can be loaded from/);
    expect(existsSync(out)).toBe(false);
  });

  test('a run name that does not exist → exit 2', async () => {
    const r = await cli(['export', 'no-such-run-xyz', '--out', join(dir, 'site2')]);
    expect(r.code).toBe(2);
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toContain('no-such-run-xyz');
  });

  test('--out naming a file → exit 2', async () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    const r = await cli(['export', 'catch-dqn', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a file');
  });
});

describe('pixelrl dashboard: bad input', () => {
  test('a port in use → exit 2 saying so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await cli(['dashboard', 'catch-dqn', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(lines(r.err)).toHaveLength(1);
      expect(r.err).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  });

  test('a folder that is not a run → exit 2', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await cli(['dashboard', empty, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/empty is not a run directory \(it needs config.json and metrics.jsonl/);
    expect(readdirSync(empty)).toEqual([]);
  });
});
