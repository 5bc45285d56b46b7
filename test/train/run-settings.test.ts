/**
 * The one run schema (src/train/train-config.ts): a config written to config.json loads back as
 * the same settings for every algorithm; run directories written before the schema (fixtures made
 * by the previous code: flat on-policy configs, `dqn.learningRateDecay`; and the bundled agents)
 * load to the same settings as the new format, act and resume; old-style `--config` files work,
 * and a misspelled or doubled key is refused with exit code 2, naming it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { readRunConfig, writeRunConfig } from '../../src/checkpoint/checkpoint.js';
import { configFromFlags } from '../../src/cli/commands/train.js';
import { onPolicyConfigFromFlags } from '../../src/cli/commands/train-on-policy.js';
import { runCli } from '../../src/cli/program.js';
import { dqnRunConfig, onPolicyRunConfig } from '../../src/train/api/configs.js';
import { DQN } from '../../src/train/api/dqn.js';
import { load } from '../../src/train/api/load.js';
import { readOnPolicyConfig } from '../../src/train/api/on-policy.js';
import { upgradeRunConfig } from '../../src/train/legacy-config.js';
import { loadAgent } from '../../src/train/load-agent.js';
import {
  hyperparamsOf,
  onPolicyPreset,
  validateOnPolicyRunConfig,
} from '../../src/train/on-policy-config.js';
import { validateRunConfig } from '../../src/train/train-config.js';
import { WatchedRun } from '../../src/web/server/watched-run.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-run-settings-'));
const fixtures = join(import.meta.dirname, 'fixtures', 'old-runs');
const bundled = join(import.meta.dirname, '..', '..', 'checkpoints', 'bundled');
let n = 0;
const fresh = (): string => join(root, `case-${n++}`);

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const OLD_NAMES = ['totalSteps', 'evalEverySteps', 'checkpointEverySteps', 'learningRateDecay'];

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

/**
 * `loaded` holds the settings of `expected`: the same values, where a field added since the run was
 * written (`workerTimeout`, optional, read at its default) may be absent.
 */
function expectSameSettings(loaded: object, expected: object): void {
  expect({ ...expected, ...loaded }).toEqual(expected);
  expect(Object.keys(expected).filter((k) => !(k in loaded))).toEqual(
    Object.keys(expected).filter((k) => !(k in loaded) && k === 'workerTimeout'),
  );
}

/** The settings the fixtures in fixtures/old-runs were trained with, built in today's schema. */
const OLD_RUN_SETTINGS = {
  ppo: () =>
    onPolicyRunConfig('ppo', 'CartPole-v1', {
      seed: 3,
      steps: 64,
      numEnvs: 2,
      evalEpisodes: 0,
      ppo: { net: '[8,tanh]', numSteps: 16, updateEpochs: 1, numMinibatches: 2 },
    }),
  a2c: () =>
    onPolicyRunConfig('a2c', 'CartPole-v1', {
      seed: 3,
      steps: 64,
      numEnvs: 2,
      evalEpisodes: 0,
      a2c: { net: '[8,tanh]', numSteps: 8 },
    }),
  reinforce: () =>
    onPolicyRunConfig('reinforce', 'CartPole-v1', {
      seed: 3,
      steps: 64,
      numEnvs: 2,
      evalEpisodes: 0,
      reinforce: { net: '[8,tanh]', episodesPerUpdate: 2 },
    }),
  dqn: () =>
    dqnRunConfig('CartPole-v1', {
      steps: 64,
      seed: 3,
      evalEpisodes: 0,
      saveReplay: false,
      dqn: {
        net: '[8,relu]',
        bufferSize: 200,
        learningStarts: 16,
        batchSize: 8,
        trainFrequency: 4,
        gradientSteps: 1,
      },
    }),
};

describe('config → config.json → load', () => {
  const cases = {
    dqn: () => dqnRunConfig('CartPole-v1', { steps: 1234, seed: 9, numEnvs: 3, dqn: { annealLr: false } }),
    'dqn (pixels)': () => dqnRunConfig('Catch-v0', { evalInterval: 500, dqn: { nStep: 4 } }),
    ppo: () =>
      onPolicyRunConfig('ppo', 'CartPole-v1', {
        steps: 4096,
        seed: 5,
        evalInterval: 1024,
        evalEpisodes: 2,
        checkpointInterval: 2048,
        ppo: { clipCoef: 0.3, annealLr: false, targetKl: 0.02 },
      }),
    'ppo (pixels)': () => onPolicyRunConfig('ppo', 'Catch-v0', { steps: 1000, logEveryUpdates: 3 }),
    a2c: () => onPolicyRunConfig('a2c', 'CartPole-v1', { workers: 1, a2c: { rmspropDecay: 0.95 } }),
    reinforce: () => onPolicyRunConfig('reinforce', 'CartPole-v1', { reinforce: { episodesPerUpdate: 3 } }),
  };

  it.each(Object.keys(cases))('%s: the same settings come back, in today’s names', async (name) => {
    const config = cases[name as keyof typeof cases]() as unknown as Record<string, unknown>;
    const dir = fresh();
    await writeRunConfig(dir, config);
    const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    // The shared run fields at the top, with the same names for every algorithm…
    for (const key of ['env', 'envOptions', 'algo', 'steps', 'seed', 'numEnvs', 'workers']) {
      expect(onDisk, key).toHaveProperty(key);
    }
    for (const key of ['evalInterval', 'evalEpisodes', 'checkpointInterval']) {
      expect(onDisk, key).toHaveProperty(key);
    }
    // …the hyperparameters under the algorithm's name, and no old name anywhere.
    const algo = String(onDisk.algo);
    expect(typeof onDisk[algo]).toBe('object');
    expect(keysOf(onDisk).filter((k) => OLD_NAMES.includes(k))).toEqual([]);
    const { format, ...saved } = await readRunConfig(dir);
    expect(format).toBe('pixelrl-run');
    const loaded =
      algo === 'dqn'
        ? validateRunConfig(saved as never)
        : await readOnPolicyConfig(dir).then((c) => c as unknown as Record<string, unknown>);
    expect(loaded).toEqual(config);
  });

  it('a library model reads back the settings it was built with', async () => {
    const dir = fresh();
    const model = new DQN('CartPole-v1', { runDir: dir, ...OLD_RUN_SETTINGS.dqn() });
    await model.learn({ steps: 32 });
    const again = await DQN.load(dir);
    expect(again.config).toEqual({ ...model.config, steps: 32 });
    model.dispose();
    again.dispose();
  });
});

describe('run directories written before the schema', () => {
  it.each([
    'ppo',
    'a2c',
    'reinforce',
  ] as const)('%s: the old flat config.json loads as the new format, acts and resumes', async (algo) => {
    const dir = fresh();
    cpSync(join(fixtures, algo), dir, { recursive: true });
    const old = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    // The fixture is the old shape: run fields and hyperparameters side by side.
    expect(old).toMatchObject({ algo, totalSteps: 64, evalEverySteps: 0, net: '[8,tanh]' });
    expect(old).not.toHaveProperty(algo);
    const expected = OLD_RUN_SETTINGS[algo]();
    expect(await readOnPolicyConfig(dir)).toEqual(expected);
    expect(expected.steps).toBe(64);
    const agent = await loadAgent(dir);
    // The checkpoint's step (REINFORCE collects whole episodes, so it may pass the budget).
    const manifest = JSON.parse(readFileSync(join(dir, 'checkpoint', 'manifest.json'), 'utf8'));
    expect(manifest.step).toBeGreaterThanOrEqual(64);
    expect(agent.step).toBe(manifest.step);
    expect([...agent.inputShape]).toEqual([4]);
    agent.dispose();
    const model = await load(dir);
    expect(model.config).toEqual(expected);
    const r = await model.learn({ steps: 64 });
    expect(r.steps).toBeGreaterThanOrEqual(manifest.step + 64);
    // A copy of the run is written in today's names.
    const copy = fresh();
    await model.save(copy);
    const copied = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8'));
    expect(copied[algo]).toEqual(hyperparamsOf(expected));
    expect(keysOf(copied).filter((k) => OLD_NAMES.includes(k))).toEqual([]);
    model.dispose();
  });

  it('dqn: the config.json of the previous code (dqn.learningRateDecay) loads, resumes and is rewritten in today’s names', async () => {
    const dir = fresh();
    cpSync(join(fixtures, 'dqn'), dir, { recursive: true });
    const old = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(old.dqn.learningRateDecay).toBe(true);
    const { format: _f, ...saved } = await readRunConfig(dir);
    const expected = OLD_RUN_SETTINGS.dqn();
    expectSameSettings(validateRunConfig(saved as never), expected);
    expect(expected.dqn.annealLr).toBe(true);
    const model = await DQN.load(dir);
    expect(model.config).toEqual(expected);
    expect(model.steps).toBe(64);
    expect((await model.learn({ steps: 32 })).steps).toBe(96);
    model.dispose();
    // A longer budget rewrites config.json, now in today's names.
    const rewritten = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(rewritten.steps).toBe(96);
    expect(rewritten.dqn.annealLr).toBe(true);
    expect(rewritten.dqn).not.toHaveProperty('learningRateDecay');
  });

  it('the bundled agents’ config.json (no `loss`, dqn.learningRateDecay) load to the new names', async () => {
    for (const [name, annealLr] of [
      ['cartpole-dqn', true],
      ['catch-dqn', false],
    ] as const) {
      const { format: _f, ...saved } = await readRunConfig(join(bundled, name));
      expect((saved.dqn as Record<string, unknown>).learningRateDecay).toBe(annealLr);
      const config = validateRunConfig(saved as never);
      expect(config.dqn.annealLr).toBe(annealLr);
      expect(config.dqn.loss).toBe('huber');
      expect(config.dqn).not.toHaveProperty('learningRateDecay');
    }
  });

  it('the dashboard reads an old run’s config in today’s names (its ETA needs steps)', async () => {
    const dir = fresh();
    cpSync(join(fixtures, 'ppo'), dir, { recursive: true });
    const changes = await new WatchedRun(dir).poll();
    expect(changes.problem).toBeNull();
    expect(changes.config).toMatchObject({ algo: 'ppo', steps: 64, ppo: { numSteps: 16 } });
  });

  it('reading old names is idempotent, and a name given twice is refused', () => {
    for (const algo of ['ppo', 'a2c', 'reinforce', 'dqn'] as const) {
      const old = JSON.parse(readFileSync(join(fixtures, algo, 'config.json'), 'utf8'));
      const once = upgradeRunConfig(old);
      expect(upgradeRunConfig(once)).toEqual(once);
      expect(keysOf(once).filter((k) => OLD_NAMES.includes(k))).toEqual([]);
    }
    // makeAtari's old option names, in an on-policy run's `atari` and a DQN pixel run's envOptions.
    const pixels = upgradeRunConfig({ algo: 'ppo', atari: { screenSize: 24, frameStack: 2, frameSkip: 3 } });
    expect(pixels.atari).toEqual({ screenSize: 24, historyLength: 2, frameskip: 3 });
    const saved = validateOnPolicyRunConfig({ ...onPolicyPreset('ppo', 'atari'), atari: { frameSkip: 2 } });
    expect(saved.atari).toEqual({ frameskip: 2 });
    expect(upgradeRunConfig({ algo: 'dqn', envOptions: { frameSkip: 2 } }).envOptions).toEqual({
      frameskip: 2,
    });
    const preset = onPolicyPreset('a2c') as unknown as Record<string, unknown>;
    expect(upgradeRunConfig(preset)).toEqual(preset);
    expect(() => upgradeRunConfig({ algo: 'ppo', steps: 10, totalSteps: 10 })).toThrow(
      'totalSteps is the old name of steps: give only steps',
    );
    expect(() => upgradeRunConfig({ algo: 'ppo', numSteps: 8, ppo: { numSteps: 16 } })).toThrow(
      'numSteps is given twice: at the top level and in ppo.numSteps',
    );
    expect(() =>
      upgradeRunConfig({ algo: 'dqn', dqn: { annealLr: true, learningRateDecay: false } }),
    ).toThrow('dqn.learningRateDecay is the old name of dqn.annealLr: give only dqn.annealLr');
    expect(() => validateOnPolicyRunConfig({ ...preset, a2c: { numStepz: 5 } })).toThrow(
      /unknown a2c setting 'numStepz'; valid settings are: net, sharedTorso/,
    );
  });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const code = await runCli(['node', 'pixelrl', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

function configFile(content: unknown): string {
  const path = join(root, `config-${n++}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const quiet = ['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '0'];

describe('--config files', () => {
  it('an old-style on-policy file (flat, old names) gives the same run config as a new one', () => {
    const old = configFile({ totalSteps: 512, evalEverySteps: 256, numSteps: 16, net: '[8,tanh]' });
    const now = configFile({ steps: 512, evalInterval: 256, ppo: { numSteps: 16, net: '[8,tanh]' } });
    const flags = { algo: 'ppo', env: 'CartPole-v1', hyperparams: 'none' };
    const fromOld = onPolicyConfigFromFlags({ ...flags, config: old }, []);
    expect(fromOld).toEqual(onPolicyConfigFromFlags({ ...flags, config: now }, []));
    expect(fromOld).toMatchObject({ steps: 512, evalInterval: 256, ppo: { numSteps: 16, net: '[8,tanh]' } });
  });

  it('an old-style DQN file (dqn.learningRateDecay) gives the same run config as a new one', () => {
    const dqn = { net: '[8,relu]', bufferSize: 300 };
    const old = configFile({ env: 'CartPole-v1', steps: 96, dqn: { ...dqn, learningRateDecay: false } });
    const now = configFile({ env: 'CartPole-v1', steps: 96, dqn: { ...dqn, annealLr: false } });
    const flags = { algo: 'dqn', progress: 'off' as const, hyperparams: 'none' };
    const fromOld = configFromFlags({ ...flags, config: old });
    expect(fromOld).toEqual(configFromFlags({ ...flags, config: now }));
    expect(fromOld.dqn.annealLr).toBe(false);
  });

  it('pixelrl train runs an old-style file and writes config.json in today’s names', async () => {
    const run = join(root, 'old-style-ppo');
    const file = configFile({ totalSteps: 64, numEnvs: 2, numSteps: 16, updateEpochs: 1, net: '[8,tanh]' });
    const r = await cli([
      'train',
      '--algo',
      'ppo',
      '--env',
      'CartPole-v1',
      '--config',
      file,
      '--run-name',
      run,
      ...quiet,
    ]);
    expect(r.code, r.err).toBe(0);
    const written = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(written).toMatchObject({
      algo: 'ppo',
      steps: 64,
      numEnvs: 2,
      ppo: { numSteps: 16, net: '[8,tanh]' },
    });
    expect(keysOf(written).filter((k) => OLD_NAMES.includes(k))).toEqual([]);
  });

  it('an error about a setting a file gave under its old name names what the file wrote', () => {
    const flags = { algo: 'ppo', env: 'CartPole-v1', hyperparams: 'none' };
    const file = configFile({ totalSteps: 0, numSteps: 16 });
    expect(() => onPolicyConfigFromFlags({ ...flags, config: file }, [])).toThrow(
      'steps (written totalSteps) must be an integer from 1 to 100000000000, got 0',
    );
    // The same in a run directory's config.json, and in the library's options.
    const old = JSON.parse(readFileSync(join(fixtures, 'ppo', 'config.json'), 'utf8'));
    expect(() => validateOnPolicyRunConfig({ ...old, evalEverySteps: -1 })).toThrow(
      'evalInterval (written evalEverySteps) must be an integer from 0 to 100000000000, got -1',
    );
    const dqn = JSON.parse(readFileSync(join(fixtures, 'dqn', 'config.json'), 'utf8'));
    dqn.dqn.learningRateDecay = 'yes';
    expect(() => validateRunConfig(dqn)).toThrow(
      'DQN setting annealLr (written dqn.learningRateDecay) must be true or false, got "yes"',
    );
    expect(() => dqnRunConfig('CartPole-v1', { dqn: { learningRateDecay: 1 } as never })).toThrow(
      /annealLr \(written dqn.learningRateDecay\) must be true or false/,
    );
    // Today's names: the message as it was.
    expect(() => validateOnPolicyRunConfig({ ...onPolicyPreset('ppo'), steps: 0 })).toThrow(
      /^steps must be an integer from 1/,
    );
  });

  it.each([
    ['ppo', { ppo: { numStep: 16 } }, /unknown ppo setting 'numStep'/],
    ['ppo', { numStep: 16 }, /unknown setting 'numStep'/],
    ['a2c', { totalSteps: 64, steps: 64 }, /totalSteps is the old name of steps: give only steps/],
    ['dqn', { dqn: { learningRateDecy: true } }, /unknown DQN setting 'learningRateDecy'/],
    ['dqn', { stepz: 64 }, /unknown setting 'stepz'/],
  ])('--algo %s with %j: exit code 2, one line naming the key', async (algo, content, message) => {
    const file = configFile({ env: 'CartPole-v1', ...content });
    const r = await cli([
      'train',
      '--algo',
      algo,
      '--config',
      file,
      '--run-name',
      join(root, 'never'),
      ...quiet,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error:')),
    ).toHaveLength(1);
  });
});
