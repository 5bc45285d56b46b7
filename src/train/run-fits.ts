/**
 * The check a DQN run passes before anything is allocated: the env builds with the run's
 * options, the network spec reads and fits the observation, and the network (with its target,
 * gradients and Adam moments) plus the replay memory fit in the memory available now. Each
 * error names the setting the user wrote (`--net`, `envOptions`, `bufferSize`, ...).
 */
import { formatBytes, type MemoryProbe, replayBytes, systemMemoryProbe } from '../../replay/index.js';
import { type NetSpec, parseNetSpec } from '../nets/index.js';
import { setupEnv } from './env-setup.js';
import type { RunConfig } from './train-config.js';

/**
 * The most parameters a network may have: 100M (Nature DQN has 1.7M). Six float32 copies of
 * that are 2.4 GB, inside the wasm backend's 4 GiB address space.
 */
export const MAX_PARAMS = 100_000_000;
/** Float32 copies of the parameters a DQN run holds: online, target, gradient, Adam's m and v, one spare. */
const PARAM_COPIES = 6;

/** Parameters of the torso `spec` on `inputShape` plus a head of `outputs` units; throws on a shape it cannot take. */
export function countParams(spec: NetSpec, inputShape: readonly number[], outputs: number): number {
  let shape = [...inputShape];
  let params = 0;
  for (const layer of spec.layers) {
    if (layer.kind === 'conv') {
      if (shape.length !== 3)
        throw new Error(`conv layers need an image input [height, width, channels], got [${shape}]`);
      const [h, w, c] = shape;
      const side = (x: number) =>
        layer.padding === 'same'
          ? Math.ceil(x / layer.stride)
          : Math.floor((x - layer.kernel) / layer.stride) + 1;
      const [oh, ow] = [side(h), side(w)];
      if (oh < 1 || ow < 1) {
        throw new Error(
          `the ${layer.kernel}x${layer.kernel} conv layer does not fit its ${h}x${w} input: use a smaller kernel or 'same' padding`,
        );
      }
      params += layer.kernel * layer.kernel * c * layer.filters + layer.filters;
      shape = [oh, ow, layer.filters];
    } else {
      const width = shape.reduce((a, b) => a * b, 1);
      params += width * layer.units + layer.units;
      shape = [layer.units];
    }
  }
  const width = shape.reduce((a, b) => a * b, 1);
  return params + width * outputs + outputs;
}

/** The network input of a DQN run on frames of `frameShape` with `historyLength` frames per observation. */
export function dqnInputShape(frameShape: readonly number[], historyLength: number): number[] {
  const size = frameShape.reduce((a, b) => a * b, 1);
  return frameShape.length === 1 && historyLength === 1 ? [size] : [...frameShape, historyLength];
}

/** Throws an Error naming the setting when the run cannot be built or would not fit in memory. */
export function checkRunFits(config: RunConfig, probe: MemoryProbe = systemMemoryProbe): void {
  let setup: ReturnType<typeof setupEnv>;
  try {
    setup = setupEnv(config.env, config.envOptions, config.frameSize, config.evalNoopMax);
  } catch (err) {
    throw new Error(
      `env ${config.env} with envOptions ${JSON.stringify(config.envOptions)}: ${(err as Error).message}`,
    );
  }
  const { dqn } = config;
  if (setup.frameShape.length === 1 && dqn.historyLength !== 1) {
    throw new Error(
      `${config.env} gives vector observations of shape [${setup.frameShape}]; historyLength ${dqn.historyLength} would stack them into a shape no network reads: use historyLength 1 (--preset classic)`,
    );
  }
  let spec: NetSpec;
  try {
    spec = parseNetSpec(dqn.net);
  } catch (err) {
    throw new Error(`--net ${JSON.stringify(dqn.net)}: ${(err as Error).message}`);
  }
  const inputShape = dqnInputShape(setup.frameShape, dqn.historyLength);
  let params: number;
  try {
    params = countParams(spec, inputShape, setup.numActions + 1);
  } catch (err) {
    throw new Error(`--net ${dqn.net} on ${config.env} (input [${inputShape}]): ${(err as Error).message}`);
  }
  if (params > MAX_PARAMS) {
    throw new Error(
      `--net ${dqn.net} has ${params} parameters on ${config.env}, more than the ${MAX_PARAMS} allowed`,
    );
  }
  const netBytes = params * 4 * PARAM_COPIES;
  const replay = replayBytes({
    capacity: dqn.bufferSize,
    numEnvs: config.numEnvs,
    frameShape: setup.frameShape,
    frameDtype: setup.frameDtype,
    historyLength: dqn.historyLength,
    nStep: dqn.nStep,
    gamma: dqn.gamma,
    sampler: { kind: dqn.prioritized ? 'prioritized' : 'uniform' },
    layout: 'channels-last',
    checkContinuity: false,
  } as unknown as Parameters<typeof replayBytes>[0]);
  const available = Math.min(probe.freeBytes(), probe.totalBytes());
  if (netBytes + replay > available) {
    throw new Error(
      `the run needs about ${formatBytes(netBytes + replay)}: ${formatBytes(netBytes)} for --net ${dqn.net} (${params} parameters) ` +
        `and ${formatBytes(replay)} for a replay of bufferSize ${dqn.bufferSize}, but ${formatBytes(available)} is available: use a smaller --net or --buffer-size`,
    );
  }
}
