/**
 * Chooses the training engine once, at start-up, and says why (`pixelrl info`, the first lines
 * of `pixelrl train`). The choice is a value passed down to the agents; nothing is global.
 *
 *   --engine / PIXELRL_ENGINE   ort | tfjs | auto (default: ort where onnxruntime-node loads)
 *   --device / PIXELRL_DEVICE   cpu | cuda | webgpu (the ort engine's execution provider)
 *   --threads                   ORT intra-op threads (default 1)
 *   PIXELRL_ORT_NCHWC=off       plain `Conv` nodes in the CPU step graphs instead of ORT's
 *                               blocked NCHWc kernels (src/engine/graph/nchwc.ts), for comparison
 *
 * The tfjs engine runs on whichever tfjs backend src/backend/select.ts initialised.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { readFlatWeights } from './flat-weights.js';
import { relu } from './graph/activations.js';
import { GraphBuilder } from './graph/builder.js';
import { encodeModel } from './onnx/model-proto.js';
import { OrtActorCriticLearner } from './ort/actor-critic-learner.js';
import { OrtDqnLearner } from './ort/dqn-learner.js';
import { findNchwcBlock } from './ort/nchwc-probe.js';
import { DEVICES, type Device, loadOrt, type OrtRuntime } from './ort/session.js';
import { TfjsActorCriticLearner } from './tfjs/actor-critic-learner.js';
import { TfjsDqnLearner } from './tfjs/dqn-learner.js';
import {
  type ActorCriticLearner,
  type DqnLearner,
  type DqnStepSpec,
  ENGINE_NAMES,
  type EngineName,
  type OptimizerSpec,
} from './types.js';

export interface EngineChoice {
  engine?: EngineName | 'auto';
  device?: Device;
  /** ORT intra-op threads. */
  threads?: number;
}

export interface Engine {
  readonly name: EngineName;
  /** Where the graphs run (`cpu` for the tfjs engine: its backend says the rest). */
  readonly device: Device;
  readonly threads: number;
  /** One line: what was chosen and why; and what was skipped, with the reason. */
  readonly reason: string;
  readonly skipped: readonly string[];
  /** A learner for an online/target pair of buildNetwork Q-networks (the models hold the initial weights). */
  dqnLearner(
    online: tf.LayersModel,
    target: tf.LayersModel,
    numActions: number,
    spec: DqnStepSpec,
  ): DqnLearner;
  /** A learner for an actor-critic: one two-headed model, or an actor and a critic. */
  actorCriticLearner(models: readonly tf.LayersModel[], spec: OptimizerSpec): ActorCriticLearner;
}

/** Reads an engine name; the error says what the valid ones are. */
export function parseEngineName(text: string): EngineName | 'auto' {
  if (text === 'auto' || (ENGINE_NAMES as readonly string[]).includes(text))
    return text as EngineName | 'auto';
  throw new Error(`unknown engine '${text}': use ort, tfjs or auto`);
}

export function parseDevice(text: string): Device {
  if ((DEVICES as readonly string[]).includes(text)) return text as Device;
  throw new Error(`unknown device '${text}': use ${DEVICES.join(', ')}`);
}

/** Why ORT's CUDA provider cannot load here, or null when its library is in place. */
export function cudaMissing(): string | null {
  const require = createRequire(import.meta.url);
  const bin = join(
    dirname(require.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  if (existsSync(join(bin, 'libonnxruntime_providers_cuda.so'))) return null;
  return (
    "ORT's CUDA 12 provider is not installed (pixelrl's .npmrc skips its download); fetch it with " +
    '`ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`'
  );
}

/** Opens a one-node graph on `device`, so a missing GPU is reported at start-up, in one line. */
function probeDevice(rt: OrtRuntime, device: Device, threads: number): void {
  const g = new GraphBuilder('probe');
  g.output(relu(g, g.input('x', [1])), 'y');
  try {
    rt.createSession(encodeModel(g.build()), { device, threads }).dispose();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const why = /adapter/i.test(message)
      ? 'no WebGPU adapter on this machine (ORT needs a GPU with Vulkan drivers)'
      : message.split('\n')[0].replace(/^.*?\.cc:\d+ /, '');
    throw new Error(`--device ${device}: ${why}; use --device cpu`);
  }
}

function ortEngine(
  rt: OrtRuntime,
  device: Device,
  threads: number,
  nchwcBlock: number,
  reason: string,
  skipped: string[],
): Engine {
  const options = { device, threads, nchwcBlock };
  return {
    name: 'ort',
    device,
    threads,
    reason,
    skipped,
    dqnLearner(online, target, numActions, spec) {
      const image = online.inputs[0].shape.length === 4;
      const learner = new OrtDqnLearner(rt, options, online, numActions, spec, image ? 'uint8' : 'float');
      learner.setParams('online', readFlatWeights([online]));
      learner.setParams('target', readFlatWeights([target]));
      return learner;
    },
    actorCriticLearner(models, spec) {
      const learner = new OrtActorCriticLearner(rt, options, models, spec);
      learner.setParams(readFlatWeights(models));
      return learner;
    },
  };
}

/** The tfjs engine: training on the tfjs backend already initialised. */
export function tfjsEngine(reason = 'tfjs engine (asked for)', skipped: string[] = []): Engine {
  return {
    name: 'tfjs',
    device: 'cpu',
    threads: 1,
    reason,
    skipped,
    dqnLearner: (online, target, numActions, spec) => new TfjsDqnLearner(online, target, numActions, spec),
    actorCriticLearner: (models, spec) => new TfjsActorCriticLearner(models, spec),
  };
}

/**
 * Picks the engine: the asked one (an error if it cannot run), or with `auto` ort where
 * onnxruntime-node loads and tfjs otherwise. Environment variables fill what `choice` leaves open.
 */
export function createEngine(choice: EngineChoice = {}, env: NodeJS.ProcessEnv = process.env): Engine {
  const asked = choice.engine ?? (env.PIXELRL_ENGINE ? parseEngineName(env.PIXELRL_ENGINE) : 'auto');
  const device = choice.device ?? (env.PIXELRL_DEVICE ? parseDevice(env.PIXELRL_DEVICE) : 'cpu');
  const threads = choice.threads ?? 1;
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) {
    throw new Error(`threads must be an integer from 1 to 256, got ${threads}`);
  }
  if (asked === 'tfjs') {
    if (device !== 'cpu')
      throw new Error(
        `--device ${device} is for the ort engine; the tfjs engine runs on its backend (--backend)`,
      );
    return tfjsEngine('tfjs engine (asked for)', []);
  }
  let rt: OrtRuntime;
  try {
    rt = loadOrt();
  } catch (err) {
    const why = `onnxruntime-node did not load: ${err instanceof Error ? err.message : String(err)}`;
    if (asked === 'ort') throw new Error(`engine ort: ${why}`);
    return tfjsEngine('tfjs engine (the fallback)', [`ort: ${why}`]);
  }
  if (device === 'cuda') {
    const missing = cudaMissing();
    if (missing) throw new Error(`--device cuda: ${missing}`);
  }
  if (device !== 'cpu') probeDevice(rt, device, threads);
  const nchwcBlock = device === 'cpu' && env.PIXELRL_ORT_NCHWC !== 'off' ? findNchwcBlock(rt, threads) : 0;
  const how = asked === 'ort' ? 'asked for' : 'the default where onnxruntime-node loads';
  const convs = device !== 'cpu' ? '' : nchwcBlock ? `, NCHWc convs (block ${nchwcBlock})` : ', plain convs';
  return ortEngine(
    rt,
    device,
    threads,
    nchwcBlock,
    `ort engine (${how}): onnxruntime-node ${rt.version}, ${device}, ${threads} thread${threads > 1 ? 's' : ''}${convs}`,
    [],
  );
}
