import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  return { out: () => out, err: () => err };
}

describe('pixelrl envs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists every registered env with its actions', async () => {
    const io = capture();
    expect(await runCli(['node', 'pixelrl', 'envs'])).toBe(0);
    expect(io.out()).toMatch(/CartPole-v1 +classic +obs \[4\]/);
    expect(io.out()).toMatch(/actions \(2\): LEFT RIGHT/);
    expect(io.out()).toMatch(/Catch-v0 +atari +obs \[210x160x3\]/);
  });

  it('prints JSON with --json', async () => {
    const io = capture();
    expect(await runCli(['node', 'pixelrl', 'envs', '--json'])).toBe(0);
    const list = JSON.parse(io.out()) as { id: string; actionMeanings: string[] }[];
    expect(list.find((e) => e.id === 'CartPole-v1')?.actionMeanings).toEqual(['LEFT', 'RIGHT']);
  });

  it('exits with code 2 and a message on an unknown option or command', async () => {
    const io = capture();
    expect(await runCli(['node', 'pixelrl', 'envs', '--bogus'])).toBe(2);
    expect(io.err()).toMatch(/unknown option '--bogus'/);
    expect(await runCli(['node', 'pixelrl', 'trian'])).toBe(2);
    expect(io.err()).toMatch(/unknown command 'trian'/);
  });
});
