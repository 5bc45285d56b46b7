/**
 * The arrows between checkpoint/ and train/ run one way (DESIGN.md, Boundaries): src/checkpoint/
 * stores and reads bundles and imports nothing from src/train/, the agents or the replay; the
 * types a checkpoint stores come from below all of them (src/util/state-bundle.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function importsOf(dir: string): { file: string; from: string }[] {
  const out: { file: string; from: string }[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (!name.endsWith('.ts')) continue;
    const text = readFileSync(join(root, dir, name), 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)[^;]*?from\s+'([^']+)'/gms)) {
      out.push({ file: `${dir}/${name}`, from: m[1] });
    }
  }
  return out;
}

describe('layering', () => {
  it('src/checkpoint imports nothing from src/train, agents or replay', () => {
    const all = importsOf('src/checkpoint');
    expect(all.length).toBeGreaterThan(5);
    const upward = all.filter(({ from }) => /\/(train|agents|replay)\//.test(from));
    expect(upward).toEqual([]);
  });

  it('the agents and the replay take the checkpoint types from src/util, not src/checkpoint', () => {
    const all = [...importsOf('agents'), ...importsOf('replay')];
    expect(all.filter(({ from }) => from.includes('/checkpoint/'))).toEqual([]);
    expect(all.some(({ from }) => from.endsWith('util/state-bundle.js'))).toBe(true);
  });
});
