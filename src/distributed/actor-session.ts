/**
 * One actor session: slot i of a run, its envs and network, from start to a reason to stop.
 *
 *   repeat:  Q(s_t) for every env (one forward) → ε_i-greedy actions → step the envs
 *            → steps into the ActorBuffer (n-step |δ| as initial priorities)
 *            every `flushSteps` steps: one stream message (waits while `maxInFlight` are unread)
 *            when a new weights version is announced (or seen by the 1 s check): load it
 *
 * The caller (actor.ts) owns the Redis connections, the slot lease and the session id.
 */
import type { Redis } from 'ioredis';
import { DqnAgent } from '../../agents/dqn.js';
import { FrameStacks } from '../../agents/frame-stacks.js';
import type { Engine } from '../engine/select.js';
import { SyncVecEnv } from '../rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../rollout/threaded-vec-env.js';
import { setupEnv } from '../train/env-setup.js';
import { deriveSeeds, Rng, splitmix32 } from '../util/rng.js';
import { ActorBuffer } from './actor-buffer.js';
import { apexEpsilon } from './apex.js';
import { type RunKeys, sleep } from './redis.js';
import { type RunSpec, readSpec } from './run-spec.js';
import { fetchWeights, loadWeights, publishedVersion } from './weights.js';
import { type EpisodeReport, type ExperienceMessage, encodeMessage, type FrameArray } from './wire.js';

type Frames = Uint8Array | Float32Array;

export type SessionEnd = 'done' | 'stopped' | 'max-steps' | 'new-run' | 'lost-slot';

export interface SessionArgs {
  redis: Redis;
  keys: RunKeys;
  spec: RunSpec;
  slot: number;
  session: string;
  /** Envs to step (at most the run's envsPerActor). */
  envs: number;
  workers: number;
  seed?: number;
  /** The newest version announced on the channel (updated by the caller's subscriber). */
  announced: () => number;
  /** Called about once a second; false when the slot's lease is lost. */
  renewLease: () => Promise<boolean>;
  /** Redis reconnections so far (after one, unread messages may be gone with a restarted Redis). */
  reconnects: () => number;
  log: (line: string) => void;
  signal?: AbortSignal;
  maxSteps?: number;
  /** The engine of the Q-network's forward pass; default: tfjs on the current backend. */
  engine?: Engine;
}

export interface SessionStats {
  steps: number;
  messages: number;
  transitions: number;
  /** Bytes of the messages as sent. */
  bytes: number;
  weightsVersion: number;
  epsilon: number;
  end: SessionEnd;
}

export async function runActorSession(args: SessionArgs): Promise<SessionStats> {
  const { redis, keys, spec, slot, session, log } = args;
  const { config } = spec;
  const d = config.distributed;
  const { dqn } = config;
  const setup = setupEnv(config.env, config.envOptions, config.frameSize, config.evalNoopMax);
  const frameSize = setup.frameShape.reduce((a, b) => a * b, 1);
  const h = dqn.historyLength;
  const inputShape = setup.frameShape.length === 1 && h === 1 ? [frameSize] : [...setup.frameShape, h];
  const E = args.envs;
  const seed = args.seed ?? splitmix32(config.seed * 7919 + 104_729 * (slot + 1));
  const [netSeed, envSeed, actSeed] = deriveSeeds(seed, 3);
  const agent = new DqnAgent(dqn, {
    inputShape,
    numActions: setup.numActions,
    seed: netSeed,
    engine: args.engine,
  });
  const envs =
    args.workers > 0
      ? await ThreadedVecEnv.create<Frames>({
          recipe: setup.recipe,
          numEnvs: E,
          numWorkers: args.workers,
          seed: envSeed,
        })
      : new SyncVecEnv<Frames>({ recipe: setup.recipe, numEnvs: E, seed: envSeed });
  const epsilon = apexEpsilon(slot, d.actors);
  const stats: SessionStats = {
    steps: 0,
    messages: 0,
    transitions: 0,
    bytes: 0,
    weightsVersion: -1,
    epsilon,
    end: 'stopped',
  };
  try {
    log(`actor slot ${slot} of ${d.actors}: ${E} env(s) of ${config.env}, ε = ${epsilon.toPrecision(3)}`);
    const rng = new Rng(actSeed);
    const A = setup.numActions;
    const history = new FrameStacks(E, frameSize, h);
    const stack = new Float32Array(E * history.stackSize);
    const finalStack = new Float32Array(history.stackSize);
    const actions = new Int32Array(E);
    const buffer = new ActorBuffer(E, dqn.nStep, dqn.gamma, frameSize, setup.frameDtype);
    const episodeReturn = new Float64Array(E);
    const episodeLength = new Float64Array(E);
    let episodes: EpisodeReport[] = [];
    let seq = 0;
    // Unread-message accounting (backpressure): messages before the last reconnection do not count.
    let reconnects = args.reconnects();
    let inFlightBase = 0;

    const loadNewest = async (): Promise<boolean> => {
      const message = await fetchWeights(redis, keys);
      if (message === null || message.runId !== spec.runId) return false;
      if (message.version !== stats.weightsVersion) {
        loadWeights(agent, message);
        stats.weightsVersion = message.version;
      }
      return true;
    };
    // Wait for the learner's first weights.
    while (!(await loadNewest())) {
      if (args.signal?.aborted) return stats;
      await sleep(200, args.signal);
    }

    /** Checks the run, the lease and the weights; a reason to end the session, or null. */
    let lastCheck = Date.now();
    const housekeeping = async (): Promise<SessionEnd | null> => {
      lastCheck = Date.now();
      if (!(await args.renewLease())) return 'lost-slot';
      const now = await readSpec(redis, keys);
      if (now !== null && now.runId !== spec.runId) return 'new-run';
      if (now?.status === 'done') return 'done';
      if ((await publishedVersion(redis, keys)) !== stats.weightsVersion) await loadNewest();
      return null;
    };

    const consumedSeq = async (): Promise<number> => {
      const v = await redis.hget(keys.progress, String(slot));
      if (v === null) return -1;
      const [s, n] = v.split(':');
      return s === session ? Number(n) : -1;
    };

    /** Sends the ready steps; waits while too many messages are unread. */
    const send = async (): Promise<SessionEnd | null> => {
      const segments = buffer.takeSegments();
      if (segments.length === 0 && episodes.length === 0) return null;
      const message: ExperienceMessage = {
        kind: 'experience',
        runId: spec.runId,
        actor: slot,
        session,
        seq,
        weightsVersion: stats.weightsVersion,
        segments,
        episodes,
      };
      episodes = [];
      const bytes = encodeMessage(message, d.compress);
      const count = segments.reduce((n, s) => n + s.actions.length, 0);
      for (;;) {
        if (args.reconnects() !== reconnects) {
          reconnects = args.reconnects();
          inFlightBase = seq;
        }
        if (seq - Math.max(await consumedSeq(), inFlightBase - 1) <= d.maxInFlight) break;
        if (args.signal?.aborted) return 'stopped';
        await sleep(50, args.signal);
        if (Date.now() - lastCheck > 1000) {
          const end = await housekeeping();
          if (end) return end;
        }
      }
      await redis.xadd(
        keys.stream,
        'MAXLEN',
        '~',
        String(d.streamMaxLen),
        '*',
        'm',
        bytes,
        'z',
        d.compress ? '1' : '0',
        'a',
        String(slot),
        's',
        session,
        'n',
        String(count),
      );
      seq++;
      stats.messages++;
      stats.transitions += count;
      stats.bytes += bytes.length;
      return null;
    };

    const { obs } = await envs.reset();
    const frameOf = (o: Frames, i: number) => o.subarray(i * frameSize, (i + 1) * frameSize) as Frames;
    const current: FrameArray[] = [];
    for (let i = 0; i < E; i++) {
      current.push(frameOf(obs, i).slice());
      history.push(i, current[i]);
    }
    for (;;) {
      if (args.signal?.aborted) return stats;
      if (args.maxSteps !== undefined && stats.steps >= args.maxSteps) {
        const end = await send();
        stats.end = end ?? 'max-steps';
        return stats;
      }
      if (args.announced() > stats.weightsVersion) await loadNewest();
      const q = agent.qValues(history.stackAll(stack), E);
      const qTaken = new Float32Array(E);
      for (let i = 0; i < E; i++) {
        let best = 0;
        for (let a = 1; a < A; a++) if (q[i * A + a] > q[i * A + best]) best = a;
        buffer.bootstrap(i, q[i * A + best], current[i]);
        actions[i] = rng.float() < epsilon ? rng.int(A) : best;
        qTaken[i] = q[i * A + actions[i]];
      }
      const r = await envs.step(actions);
      for (let i = 0; i < E; i++) {
        const terminated = r.terminated[i] === 1;
        const truncated = r.truncated[i] === 1;
        const ended = terminated || truncated;
        const raw = r.rewards[i];
        const step = {
          frame: current[i],
          action: actions[i],
          reward: dqn.clipRewards ? Math.sign(raw) : raw,
          qTaken: qTaken[i],
          terminated,
          truncated,
          finalFrame: undefined as FrameArray | undefined,
          finalQMax: undefined as number | undefined,
        };
        if (ended) {
          step.finalFrame = (r.infos[i].finalObs as Frames).slice();
          if (truncated && !terminated) {
            history.push(i, step.finalFrame);
            history.stackInto(i, finalStack);
            const qf = agent.qValues(finalStack, 1);
            step.finalQMax = Math.max(...qf);
          }
        }
        buffer.record(i, step);
        episodeReturn[i] += raw;
        episodeLength[i]++;
        const game = r.infos[i].episode as { return: number; length: number } | undefined;
        if (setup.gameEpisodesFromInfo) {
          if (game) episodes.push({ env: i, return: game.return, length: game.length });
        } else if (ended) {
          episodes.push({ env: i, return: episodeReturn[i], length: episodeLength[i] });
        }
        if (ended) {
          episodeReturn[i] = 0;
          episodeLength[i] = 0;
          history.reset(i);
        }
        current[i] = frameOf(r.obs, i).slice();
        history.push(i, current[i]);
      }
      stats.steps += E;
      if ((stats.steps / E) % d.flushSteps === 0) {
        const end = await send();
        if (end) {
          stats.end = end;
          return stats;
        }
      }
      if (Date.now() - lastCheck > 1000) {
        const end = await housekeeping();
        if (end) {
          stats.end = end;
          return stats;
        }
      }
    }
  } finally {
    await envs.close();
    agent.dispose();
  }
}
