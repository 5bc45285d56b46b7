/**
 * Worker faults are visible in training (issue 14, defect 7): the DQN and on-policy loops write a
 * `fault` record and one stderr line per fault, record the cut-short episodes as truncated ones
 * (so per-env episode counts stay right), and a run that runs out of restarts stops with an error
 * that names the step.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActorCritic } from '../../agents/actor-critic.js';
import { CLASSIC_PRESET } from '../../agents/dqn-config.js';
import { initBackend } from '../../src/backend/select.js';
import type { EpisodeRecord, FaultRecord, MetricRecord } from '../../src/checkpoint/metric-records.js';
import { ThreadedVecEnv } from '../../src/rollout/threaded-vec-env.js';
import type { VecEnvFault } from '../../src/rollout/vec-env.js';
import { EpisodeTracker } from '../../src/train/episode-tracker.js';
import { trainOnPolicy } from '../../src/train/on-policy.js';
import { onPolicyPreset } from '../../src/train/on-policy-config.js';
import { EpisodeCollector } from '../../src/train/on-policy-episodes.js';
import { RolloutCollector } from '../../src/train/on-policy-rollout.js';
import { runDqn } from '../../src/train/run-dqn.js';
import { RUN_DEFAULTS, type RunConfig, validateRunConfig } from '../../src/train/train-config.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function tinyCartPole(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    ...RUN_DEFAULTS,
    env: 'CartPole-v1',
    steps: 40,
    seed: 1,
    numEnvs: 2,
    workers: 1,
    evalEpisodes: 0,
    checkpointInterval: 0,
    saveReplay: false,
    dqn: { ...CLASSIC_PRESET, net: '[8,relu]', bufferSize: 200, learningStarts: 100, batchSize: 8 },
    ...overrides,
  };
}

const records = (runDir: string): MetricRecord[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricRecord);

describe('EpisodeTracker', () => {
  it('reports a fault-cut episode with the sums since the last game end (across lives)', () => {
    const t = new EpisodeTracker(2, true);
    // Env 0 loses a life at step 2 (ended, no info.episode): the game's sums go on.
    expect(t.add(0, 1, false, {})).toBeNull();
    expect(t.add(0, 2, true, {})).toBeNull();
    // The game ends: its own statistics are reported, the sums restart.
    expect(t.add(0, 5, true, { episode: { return: 8, length: 3 } })).toEqual({
      envIndex: 0,
      return: 8,
      length: 3,
    });
    expect(t.add(0, 4, false, {})).toBeNull();
    const fault = {
      envIndex: 0,
      workerIndex: 0,
      kind: 'worker-exit' as const,
      message: 'gone',
      affectedEnvs: [0, 1],
      restartsLeft: 3,
    };
    expect(t.add(0, 0, true, { fault })).toEqual({ envIndex: 0, return: 4, length: 2, fault });
    expect(t.add(1, 0, true, { fault })).toEqual({ envIndex: 1, return: 0, length: 1, fault });
    expect(Array.from(t.returns)).toEqual([0, 0]);
  });
});

describe('worker faults in the DQN loop', () => {
  it('logs a fault record and a line, and records both cut episodes as truncated', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'run');
    const lines: string[] = [];
    const summary = await runDqn({
      runDir,
      config: tinyCartPole(),
      progress: 'off',
      log: (l) => lines.push(l),
      rollout: { fault: { envIndex: 1, atStep: 5, mode: 'exit' } },
    });
    expect(summary.step).toBe(40);
    const all = records(runDir);
    const faults = all.filter((r): r is FaultRecord => r.kind === 'fault');
    expect(faults).toHaveLength(1);
    // Step 5 of each env is agent step 10 (2 envs); one worker holds both envs.
    expect(faults[0]).toMatchObject({
      step: 10,
      fault: 'worker-exit',
      envIndex: 1,
      workerIndex: 0,
      affectedEnvs: [0, 1],
      restartsLeft: 9,
    });
    expect(faults[0].message).toMatch(/exited with code: 70/);
    const cut = all.filter((r): r is EpisodeRecord => r.kind === 'episode' && r.truncated === true);
    // CartPole episodes under random actions outlast 5 steps: both cut episodes are 5 steps long.
    expect(cut.map((r) => [r.envIndex, r.step, r.length, r.return])).toEqual([
      [0, 10, 5, 4],
      [1, 10, 5, 4],
    ]);
    const faultLines = lines.filter((l) => l.startsWith('warning: step 10:'));
    expect(faultLines).toEqual([
      'warning: step 10: worker 0 (stepping env 1) exited (worker exited with code: 70); episodes of envs 0, 1 cut short, envs rebuilt; 9 restarts left',
    ]);
  });

  it('logs a worker that dies in the first reset, at step 0, and trains on', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'run');
    const summary = await runDqn({
      runDir,
      config: tinyCartPole({ numEnvs: 1, steps: 10 }),
      progress: 'off',
      rollout: { fault: { envIndex: 0, atReset: 1, mode: 'exit' } },
    });
    expect(summary.step).toBe(10);
    const all = records(runDir);
    expect(all.filter((r) => r.kind === 'fault').map((r) => [r.step, (r as FaultRecord).fault])).toEqual([
      [0, 'worker-exit'],
    ]);
    // Nothing was cut short: the reset had no episode yet.
    expect(all.filter((r) => r.kind === 'episode' && (r as EpisodeRecord).truncated)).toEqual([]);
  });

  it('restarts a hung worker after workerTimeout seconds (a run setting, range-checked)', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'run');
    const lines: string[] = [];
    await runDqn({
      runDir,
      config: tinyCartPole({ numEnvs: 1, steps: 12, workerTimeout: 2 }),
      progress: 'off',
      log: (l) => lines.push(l),
      rollout: { fault: { envIndex: 0, atStep: 4, mode: 'hang' } },
    });
    const faults = records(runDir).filter((r): r is FaultRecord => r.kind === 'fault');
    expect(faults.map((f) => [f.step, f.fault])).toEqual([[4, 'timeout']]);
    expect(faults[0].message).toMatch(/did not answer a 'step' request within 2000 ms/);
    expect(lines.some((l) => /^warning: step 4: worker 0 \(stepping env 0\) stopped answering/.test(l))).toBe(
      true,
    );
    for (const bad of [0, 1.5, 100_000]) {
      expect(() => validateRunConfig(tinyCartPole({ workerTimeout: bad }))).toThrow(
        `workerTimeout must be an integer from 1 to 86400, got ${bad}`,
      );
    }
  });

  it('stops with an error naming the step when a worker runs out of restarts', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'run');
    const lines: string[] = [];
    await expect(
      runDqn({
        runDir,
        config: tinyCartPole({ numEnvs: 1 }),
        progress: 'off',
        log: (l) => lines.push(l),
        rollout: { fault: { envIndex: 0, atStep: 3, generations: 100, mode: 'exit' }, maxRestarts: 1 },
      }),
    ).rejects.toThrow(
      /the envs failed at step 5: ThreadedVecEnv: worker 0 \(envs 0..0\) failed 2 times .*giving up after 1 restarts/,
    );
    const faults = records(runDir).filter((r): r is FaultRecord => r.kind === 'fault');
    expect(faults.map((f) => [f.step, f.restartsLeft])).toEqual([[3, 0]]);
    expect(lines.filter((l) => l.includes('restarts left'))).toHaveLength(1);
  });
});

/** A stand-in actor-critic: action 0, log π 0, V 0 (the collectors only need these shapes). */
const zeroAc = {
  act: (_obs: unknown, batch: number) => ({
    actions: new Int32Array(batch),
    logProbs: new Float32Array(batch),
    values: new Float32Array(batch),
  }),
  values: (_obs: unknown, batch: number) => new Float32Array(batch),
} as unknown as ActorCritic;

describe('worker faults in the on-policy collectors', () => {
  for (const which of ['rollout (A2C/PPO)', 'episodes (REINFORCE)'] as const) {
    it(`${which}: a fault is reported once, its cut episodes as truncated ones`, async () => {
      const envs = await ThreadedVecEnv.create({
        recipe: { id: 'CartPole-v1', fault: { envIndex: 0, atStep: 5, mode: 'exit' } },
        numEnvs: 2,
        numWorkers: 1,
        seed: 2,
      });
      const faults: [string, number][] = [];
      const episodes: [number, number, number, boolean][] = [];
      const common = {
        envs,
        ac: zeroAc,
        gamma: 0.99,
        rng: new Rng(0),
        onFault: (f: VecEnvFault, step: number) => faults.push([f.kind, step]),
        onEpisode: (ep: { envIndex: number; step: number; length: number; truncated?: boolean }) =>
          episodes.push([ep.envIndex, ep.step, ep.length, ep.truncated === true]),
      };
      try {
        const collector =
          which === 'rollout (A2C/PPO)'
            ? new RolloutCollector({ ...common, numSteps: 6, gaeLambda: 0.95 })
            : new EpisodeCollector({ ...common, episodesPerUpdate: 2 });
        await collector.start(2);
        await collector.collect();
        expect(faults).toEqual([['worker-exit', 10]]);
        // Always action 0: CartPole lasts more than 5 steps, so the first episodes are the cut ones.
        expect(episodes.slice(0, 2)).toEqual([
          [0, 10, 5, true],
          [1, 10, 5, true],
        ]);
      } finally {
        await envs.close();
      }
    });
  }
});

describe('worker faults in an on-policy run', () => {
  it('PPO: a fault record, a warning line and truncated episodes in the run directory', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'ppo');
    const config = onPolicyPreset('ppo', 'classic');
    config.env = 'CartPole-v1';
    config.ppo.net = '[8,tanh]';
    config.numEnvs = 2;
    config.steps = 64;
    config.ppo.numSteps = 16;
    config.ppo.updateEpochs = 1;
    config.ppo.numMinibatches = 1;
    const lines: string[] = [];
    await trainOnPolicy(config, runDir, {
      log: (l) => lines.push(l),
      makeEnvs: (c) =>
        ThreadedVecEnv.create({
          recipe: { id: c.env, fault: { envIndex: 1, atStep: 5, mode: 'exit' } },
          numEnvs: c.numEnvs,
          numWorkers: 1,
          seed: c.seed,
        }),
    });
    const all = records(runDir);
    expect(
      all.filter((r) => r.kind === 'fault').map((r) => [r.step, (r as FaultRecord).affectedEnvs]),
    ).toEqual([[10, [0, 1]]]);
    const cut = all.filter((r): r is EpisodeRecord => r.kind === 'episode' && r.truncated === true);
    expect(cut.map((r) => [r.envIndex, r.step, r.length])).toEqual([
      [0, 10, 5],
      [1, 10, 5],
    ]);
    expect(
      lines.filter((l) => l.startsWith('warning: step 10: worker 0 (stepping env 1) exited')),
    ).toHaveLength(1);
  });
});
