/**
 * The training API end to end on tiny budgets: DQN and PPO learn, predict, evaluate, save and
 * load; callbacks see the run and stop it; learn() twice continues the run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import {
  A2C,
  type Callback,
  CartPoleEnv,
  CheckpointCallback,
  DQN,
  EvalCallback,
  load,
  PPO,
  REINFORCE,
  StopTrainingOnRewardThreshold,
  SyncVecEnv,
  TimeLimit,
  unregister,
} from '../../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const tmp = () => mkdtempSync(join(tmpdir(), 'pixelrl-api-'));

/** DQN on CartPole small enough for a test that still trains, evaluates and ends episodes. */
const tinyDqn = (runDir: string) =>
  new DQN('CartPole-v1', {
    runDir,
    steps: 300,
    seed: 1,
    evalInterval: 0,
    evalEpisodes: 2,
    logInterval: 50,
    checkpointInterval: 0,
    saveReplay: false,
    dqn: {
      net: '[16,relu]',
      learningStarts: 100,
      trainFrequency: 20,
      gradientSteps: 2,
      batchSize: 16,
      bufferSize: 1000,
    },
  });

describe('DQN', () => {
  it('learns, calls every hook in order, predicts, evaluates, saves and loads', async () => {
    const dir = tmp();
    const model = tinyDqn(join(dir, 'run'));
    const events: string[] = [];
    let steps = 0;
    const spy: Callback = {
      onTrainingStart: (run) => {
        events.push(`start ${run.algo} ${run.totalSteps}`);
      },
      onStep: ({ step }) => {
        steps = step;
      },
      onUpdate: ({ updates, loss }) => {
        if (updates === 1) events.push(`update ${Number.isFinite(loss)}`);
      },
      onEval: ({ result }) => {
        events.push(`eval ${result.returns.length}`);
      },
      onCheckpoint: ({ step }) => {
        events.push(`checkpoint ${step}`);
      },
      onTrainingEnd: ({ stopped }) => {
        events.push(`end ${stopped}`);
      },
    };
    const summary = await model.learn({ callbacks: [spy] });
    expect(summary.steps).toBe(300);
    expect(steps).toBe(300);
    expect(summary.stopped).toBe(false);
    expect(events).toEqual(['start dqn 300', 'update true', 'eval 2', 'checkpoint 300', 'end false']);

    const actions = await model.predict(new Float32Array(8)); // two CartPole observations
    expect(actions.length).toBe(2);
    expect([0, 1]).toContain(actions[0]);
    await expect(model.predict(new Float32Array(5))).rejects.toThrow(/one input of this agent has 4/);

    const result = await model.evaluate(undefined, 3);
    expect(result.returns.length).toBe(3);
    // The same seed and a greedy policy: evaluation is reproducible.
    expect((await model.evaluate('CartPole-v1', 3)).returns).toEqual(result.returns);

    const saved = join(dir, 'saved');
    await model.save(saved);
    for (const f of ['config.json', 'metrics.jsonl', 'checkpoint'])
      expect(existsSync(join(saved, f))).toBe(true);
    expect(readdirSync(saved).some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
    await expect(model.save(saved)).rejects.toThrow(/already holds files/);
    const again = await load(saved);
    expect(again).toBeInstanceOf(DQN);
    expect(again.steps).toBe(300);
    expect(await again.predict(new Float32Array(8))).toEqual(actions);
    expect((await again.evaluate(undefined, 3)).returns).toEqual(result.returns);

    // learn() again continues the run for more steps.
    const more = await again.learn({ steps: 100 });
    expect(more.steps).toBe(400);
    model.dispose();
    again.dispose();
  });

  it('stops when a callback returns false, with a checkpoint, and keeps the best agent', async () => {
    const dir = tmp();
    const model = tinyDqn(join(dir, 'run'));
    const best = join(dir, 'best');
    const evalCb = new EvalCallback({ everySteps: 100, episodes: 2, bestModelDir: best });
    const stop = new StopTrainingOnRewardThreshold({ threshold: -1 }); // any return reaches it
    const ckpt = new CheckpointCallback({ everySteps: 50, dir: join(dir, 'ckpts') });
    const summary = await model.learn({ callbacks: [evalCb, stop, ckpt] });
    expect(summary.stopped).toBe(true);
    expect(stop.reachedAtStep).toBe(100);
    expect(summary.steps).toBe(100);
    expect(evalCb.evaluations.map((e) => e.step)).toEqual([100]);
    expect(readFileSync(join(best, 'config.json'), 'utf8')).toContain('"algo": "dqn"');
    expect(ckpt.saved.map((d) => d.slice(-8))).toEqual(
      ['step-50', 'step-100'].map((s) => s.padStart(8, '/')),
    );
    const evals = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.kind === 'eval');
    expect(evals.map((e) => e.step)).toEqual([100]);
    const bestModel = await load(best);
    expect((await bestModel.evaluate(undefined, 2)).returns.length).toBe(2);
    bestModel.dispose();
    model.dispose();
  });

  it('refuses bad settings with the field that is wrong', () => {
    expect(() => new DQN('NoSuchEnv-v0')).toThrow(/unknown env "NoSuchEnv-v0"/);
    expect(() => new DQN('CartPole-v1', { steps: 0 })).toThrow(/steps/);
    expect(() => new EvalCallback({ everySteps: 0 })).toThrow(/everySteps must be an integer >= 1/);
  });
});

describe('on-policy models', () => {
  it('PPO learns, predicts (greedy and sampled), saves and loads', async () => {
    const dir = tmp();
    const model = new PPO('CartPole-v1', {
      runDir: join(dir, 'run'),
      steps: 256,
      numEnvs: 2,
      ppo: { numSteps: 32, numMinibatches: 2, updateEpochs: 1, net: 'mlp' },
      evalEpisodes: 1,
      seed: 2,
    });
    let updates = 0;
    const summary = await model.learn({ callbacks: [{ onUpdate: () => void updates++ }] });
    expect(summary.steps).toBe(256);
    expect(updates).toBe(4); // 256 steps / (32 × 2) per rollout
    const greedy = await model.predict(new Float32Array(4));
    expect(greedy.length).toBe(1);
    const sampled = await model.predict(new Float32Array(40), { deterministic: false });
    expect(sampled.length).toBe(10);
    await model.save(join(dir, 'saved'));
    const again = await load(join(dir, 'saved'));
    expect(again).toBeInstanceOf(PPO);
    expect(await again.predict(new Float32Array(4))).toEqual(greedy);
    expect((await again.evaluate(undefined, 2)).returns.length).toBe(2);
    model.dispose();
    again.dispose();
  });

  it('A2C and REINFORCE train from the same API and stop on a callback', async () => {
    const a2c = new A2C('CartPole-v1', {
      runDir: join(tmp(), 'a2c'),
      steps: 200,
      a2c: { numSteps: 5, net: 'mlp' },
    });
    const r = await a2c.learn({ callbacks: [{ onStep: ({ step }) => step < 50 }] });
    expect(r.stopped).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(50);
    expect(r.steps).toBeLessThan(200);
    const rf = new REINFORCE('CartPole-v1', {
      runDir: join(tmp(), 'rf'),
      steps: 100,
      reinforce: { net: 'mlp' },
    });
    expect((await rf.learn()).steps).toBeGreaterThanOrEqual(100);
    a2c.dispose();
    rf.dispose();
  });

  it('PPO trains on a vector env it is given, and leaves closing it to its owner', async () => {
    const envs = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 2, seed: 5 });
    expect(() => new PPO(envs, { steps: 64 })).toThrow(/needs the id of the env it steps/);
    const model = new PPO(envs, {
      envId: 'CartPole-v1',
      runDir: join(tmp(), 'vec'),
      steps: 64,
      ppo: { numSteps: 16 },
    });
    expect(model.config.numEnvs).toBe(2);
    expect((await model.learn()).steps).toBe(64);
    expect((await model.learn({ steps: 32 })).steps).toBe(96); // the same vector env, still open
    await envs.close();
    model.dispose();
  });
});

describe('an env instance', () => {
  it('DQN trains on it as one env and evaluates on an env it is given', async () => {
    const env = new TimeLimit(new CartPoleEnv(3), 200);
    try {
      expect(() => new DQN(env, { numEnvs: 2 })).toThrow(/numEnvs must be 1/);
      const model = new DQN(env, {
        envId: 'MyCartPole-v0',
        runDir: join(tmp(), 'instance'),
        steps: 150,
        dqn: { net: '[8,relu]', learningStarts: 50, trainFrequency: 25, batchSize: 8 },
      });
      expect(model.config.env).toBe('MyCartPole-v0');
      expect(model.config.evalEpisodes).toBe(0);
      expect((await model.learn()).steps).toBe(150);
      const other = new TimeLimit(new CartPoleEnv(9), 200);
      const result = await model.evaluate(other, 2);
      expect(result.returns).toHaveLength(2);
      expect(result.lengths.every((n) => n >= 1 && n <= 200)).toBe(true);
      model.dispose();
    } finally {
      unregister('MyCartPole-v0');
    }
  });
});
