/**
 * The learner's online network, published for the actors: the encoded weights under `weights`,
 * their version under `weights:version`, and a notice on the channel `weights:version`, in one
 * MULTI so a reader never sees a version without its weights. Actors read the key when a notice
 * comes (or when their periodic check of the version key sees a new one: a notice sent while an
 * actor was disconnected is not replayed by pub/sub).
 *
 * Only the public agent API is used: the network comes out of `getState()` and goes back through
 * `setState()` (an actor's optimizer moments are unused and stay as they are).
 */
import * as tf from '@tensorflow/tfjs';
import type { Redis } from 'ioredis';
import type { DqnAgent } from '../../agents/dqn.js';
import type { RunKeys } from './redis.js';
import { decodeMessage, encodeMessage, type WeightsMessage } from './wire.js';

/** The agent's online weights as a message. */
export function weightsMessage(
  agent: DqnAgent,
  runId: string,
  version: number,
  updates: number,
): WeightsMessage {
  const online = agent.getState().models.online;
  const tensors = online.getWeights();
  return {
    kind: 'weights',
    runId,
    version,
    updates,
    shapes: tensors.map((t) => [...t.shape]),
    data: tensors.map((t) => t.dataSync() as Float32Array),
  };
}

/** Sets the agent's online and target networks to the message's weights. */
export function loadWeights(agent: DqnAgent, message: WeightsMessage): void {
  const state = agent.getState();
  const tensors = message.data.map((d, i) => tf.tensor(d, message.shapes[i]));
  try {
    const own = state.models.online.getWeights();
    if (own.length !== tensors.length || own.some((w, i) => w.shape.join() !== tensors[i].shape.join())) {
      throw new Error("the published weights do not fit this actor's network (a different config?)");
    }
    state.models.online.setWeights(tensors);
    state.models.target.setWeights(tensors);
    agent.setState(state);
  } finally {
    tf.dispose(tensors);
  }
}

export async function publishWeights(redis: Redis, keys: RunKeys, message: WeightsMessage): Promise<number> {
  const bytes = encodeMessage(message, false);
  await redis
    .multi()
    .set(keys.weights, bytes)
    .set(keys.weightsVersion, String(message.version))
    .publish(keys.weightsVersion, String(message.version))
    .exec();
  return bytes.length;
}

export async function fetchWeights(redis: Redis, keys: RunKeys): Promise<WeightsMessage | null> {
  const bytes = await redis.getBuffer(keys.weights);
  if (bytes === null) return null;
  const message = decodeMessage(bytes, false);
  if (message.kind !== 'weights') throw new Error(`${keys.weights} does not hold weights`);
  return message;
}

/** The published version, or -1 when none. */
export async function publishedVersion(redis: Redis, keys: RunKeys): Promise<number> {
  const v = await redis.get(keys.weightsVersion);
  return v === null ? -1 : Number(v);
}
