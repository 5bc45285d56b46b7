/**
 * Per-game tuned settings (src/cli/commands/hyperparams.ts): `pixelrl train --env X` starts from
 * X's entry and says so, --config and flags override it, --hyperparams reads another file, a bad
 * file is exit code 2 naming it, and every entry of the shipped hyperparams/*.json validates.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DQN_FIELDS } from '../../agents/dqn-config.js';
import { createRegistry } from '../../envs/registry.js';
import {
  type HyperparamsFile,
  mergeSettings,
  parseHyperparams,
  readHyperparams,
  shippedHyperparamsPath,
} from '../../src/cli/commands/hyperparams.js';
import { configFromFlags, trainCommand } from '../../src/cli/commands/train.js';
import { onPolicyConfigFromFlags } from '../../src/cli/commands/train-on-policy.js';
import { runCommands } from './viewer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-hyper-'));

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A one-entry DQN file: Pong-v0 at 1234 steps, γ 0.9, 16x16 frames. */
const otherFile = writeJson('other.json', {
  format: 'pixelrl-hyperparams',
  version: 3,
  algo: 'dqn',
  entries: {
    'Pong-v0': {
      comment: 'test entry',
      config: { steps: 1234, frameSize: 16, dqn: { gamma: 0.9, batchSize: 16 } },
    },
  },
});

describe('per-game tuned settings', () => {
  it('starts a run from the env entry of the shipped file and says so', () => {
    const shipped = readHyperparams(shippedHyperparamsPath('dqn'));
    const entry = shipped.entries['Pong-v0'].config as { steps: number; dqn: Record<string, unknown> };
    const lines: string[] = [];
    const c = configFromFlags({ algo: 'dqn', progress: 'off', env: 'Pong-v0' }, (l) => lines.push(l));
    expect(c.steps).toBe(entry.steps);
    expect(c.frameSize).toBe(42);
    for (const [key, value] of Object.entries(entry.dqn))
      expect(c.dqn[key as keyof typeof c.dqn]).toEqual(value);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^hyperparams: Pong-v0 starts from its entry in .*hyperparams/dqn\\.json \\(version ${shipped.version};`,
      ),
    );
    // A preset asks for the preset's settings: no entry, no note.
    const preset: string[] = [];
    const p = configFromFlags({ algo: 'dqn', progress: 'off', env: 'Pong-v0', preset: 'atari' }, (l) =>
      preset.push(l),
    );
    expect(p.frameSize).toBe(84);
    expect(preset).toEqual([]);
  });

  it("starts a PPO run from the env entry of the shipped ppo.json (old flat names read as today's)", () => {
    const shipped = readHyperparams(shippedHyperparamsPath('ppo'));
    const entry = shipped.entries['Pong-v0'].config as { totalSteps: number; learningRate: number };
    const c = onPolicyConfigFromFlags({ algo: 'ppo', env: 'Pong-v0' }, []) as unknown as {
      steps: number;
      ppo: { learningRate: number };
    };
    expect(c.steps).toBe(entry.totalSteps);
    expect(c.ppo.learningRate).toBe(entry.learningRate);
    const flag = onPolicyConfigFromFlags(
      { algo: 'ppo', env: 'Pong-v0', steps: 2048, learningRate: 0.01 },
      [],
    ) as unknown as typeof c;
    expect([flag.steps, flag.ppo.learningRate]).toEqual([2048, 0.01]);
  });

  it('reads --hyperparams FILE; --config and flags override its entry; none leaves it out', () => {
    const c = configFromFlags({ algo: 'dqn', progress: 'off', env: 'Pong-v0', hyperparams: otherFile });
    expect([c.steps, c.frameSize, c.dqn.gamma, c.dqn.batchSize]).toEqual([1234, 16, 0.9, 16]);
    // --config over the entry: its dqn object merges field by field.
    const config = writeJson('config.json', { steps: 999, dqn: { gamma: 0.8 } });
    const f = configFromFlags({
      algo: 'dqn',
      progress: 'off',
      env: 'Pong-v0',
      hyperparams: otherFile,
      config,
    });
    expect([f.steps, f.frameSize, f.dqn.gamma, f.dqn.batchSize]).toEqual([999, 16, 0.8, 16]);
    // Flags over both.
    const g = configFromFlags({
      algo: 'dqn',
      progress: 'off',
      env: 'Pong-v0',
      hyperparams: otherFile,
      config,
      steps: 64,
      gamma: 0.5,
      frameSize: 24,
    });
    expect([g.steps, g.frameSize, g.dqn.gamma, g.dqn.batchSize]).toEqual([64, 24, 0.5, 16]);
    const none = configFromFlags({ algo: 'dqn', progress: 'off', env: 'Pong-v0', hyperparams: 'none' });
    expect(none.steps).toBe(100_000);
    expect(none.dqn.explorationFraction).toBe(0.2);
  });

  it('merges nested objects one level deep and replaces everything else', () => {
    const base = { steps: 1, dqn: { gamma: 0.9, nStep: 3 }, envOptions: { frameskip: 4 } };
    const merged = mergeSettings(base, { dqn: { gamma: 0.5 }, envOptions: 'x', seed: 2 });
    expect(merged).toEqual({ steps: 1, dqn: { gamma: 0.5, nStep: 3 }, envOptions: 'x', seed: 2 });
    expect(base.dqn.gamma).toBe(0.9);
  });

  it.each([
    [{ version: 1, algo: 'dqn', entries: {} }, /must be a JSON object with "format": "pixelrl-hyperparams"/],
    [
      { format: 'pixelrl-hyperparams', version: 0, algo: 'dqn', entries: {} },
      /"version" must be a positive integer, got 0/,
    ],
    [
      { format: 'pixelrl-hyperparams', version: 1, algo: 'dqn', entries: [] },
      /"entries" must be an object keyed by env id/,
    ],
    [
      { format: 'pixelrl-hyperparams', version: 1, algo: 'dqn', entries: { 'Pong-v0': { config: {} } } },
      /entry Pong-v0 must be \{ "comment": "how it was found", "config"/,
    ],
    [
      {
        format: 'pixelrl-hyperparams',
        version: 1,
        algo: 'dqn',
        entries: { 'Pong-v0': { comment: 'c', config: {}, steps: 5 } },
      },
      /entry Pong-v0 has unknown field 'steps'/,
    ],
  ])('refuses a malformed file (%#), naming it', (value, message) => {
    expect(() => parseHyperparams(value, 'x.json')).toThrow(message);
    expect(() => parseHyperparams(value, 'x.json')).toThrow(/^x\.json/);
  });

  it.each([
    ['not json', '{', /cannot read --hyperparams .*bad-0\.json/],
    [
      'no entry',
      { format: 'pixelrl-hyperparams', version: 1, algo: 'dqn', entries: {} },
      /--hyperparams .*bad-1\.json has no entry for Pong-v0/,
    ],
    [
      'another algo',
      { format: 'pixelrl-hyperparams', version: 1, algo: 'ppo', entries: {} },
      /--hyperparams .*bad-2\.json holds settings for --algo ppo, not dqn/,
    ],
    [
      'a bad setting',
      {
        format: 'pixelrl-hyperparams',
        version: 1,
        algo: 'dqn',
        entries: { 'Pong-v0': { comment: 'c', config: { stepz: 5 } } },
      },
      /the Pong-v0 entry of --hyperparams .*bad-3\.json: unknown setting 'stepz'/,
    ],
  ])('pixelrl train --hyperparams with %s → exit code 2 naming the file', async (_what, value, message) => {
    const index = ['not json', 'no entry', 'another algo', 'a bad setting'].indexOf(_what);
    const path = join(dir, `bad-${index}.json`);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    const r = await runCommands(
      [trainCommand()],
      ['train', '--env', 'Pong-v0', '--hyperparams', path, '--progress', 'off'],
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('ships an entry for every bundled game and CartPole-v1, and every entry validates', () => {
    const games = createRegistry()
      .list()
      .filter((d) => d.kind === 'atari')
      .map((d) => d.id);
    expect(games.length).toBeGreaterThanOrEqual(7);
    for (const algo of ['dqn', 'ppo']) {
      const path = shippedHyperparamsPath(algo);
      const file: HyperparamsFile = parseHyperparams(JSON.parse(readFileSync(path, 'utf8')), path);
      expect(file.algo).toBe(algo);
      expect(Object.keys(file.entries).sort()).toEqual([...games, 'CartPole-v1'].sort());
      for (const env of Object.keys(file.entries)) {
        const lines: string[] = [];
        const log = (l: string) => lines.push(l);
        if (algo === 'dqn') configFromFlags({ algo, progress: 'off', env }, log);
        else onPolicyConfigFromFlags({ algo, env }, Object.keys(DQN_FIELDS), log);
        expect(lines, `${algo} ${env}`).toHaveLength(1);
        expect(lines[0]).toContain(`hyperparams: ${env} starts from its entry`);
      }
    }
  });
});
