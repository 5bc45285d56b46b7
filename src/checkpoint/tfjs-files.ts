/**
 * tfjs LayersModels to and from a folder in the standard tfjs format: `model.json` (topology and
 * weights manifest) and `weights.bin`, as `tfjs-node`'s `file://` handler writes them, so
 * `tf.loadLayersModel('file://…/model.json')` reads them under tfjs-node and
 * {@link loadModelFromDir} reads them under any backend (plain tfjs has no file handler in Node).
 *
 * Reading trusts nothing in model.json: weight paths must stay inside the model's own folder
 * (`../agent.target/weights.bin` would load another network), only float32 weights with integer
 * shapes are read, the files' total size must be what the shapes need before anything is read,
 * and every weight must be finite.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { insideDir, readJsonFile, readRegularFile, syncDir, writeAndSync } from './safe-files.js';

const WEIGHTS_FILE = 'weights.bin';
/** The most weight bytes one model may hold (a network of 1G float32 parameters). */
const MAX_WEIGHT_BYTES = 4 * 1024 ** 3;

/** A model's files in the standard tfjs format, in memory: model.json's text and weights.bin. */
export interface ModelArtifacts {
  modelJson: string;
  weights: Uint8Array;
}

/** `model` as the tfjs files {@link saveModelToDir} writes (the web page is served them from memory). */
export async function modelArtifacts(model: tf.LayersModel): Promise<ModelArtifacts> {
  let out: ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      out = { modelJson: JSON.stringify(json), weights: new Uint8Array(bytes) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (out === null) throw new Error('tfjs did not hand over the model’s artifacts');
  return out;
}

/** Writes `model` into `dir` (which must exist) as model.json + weights.bin, each fsynced. */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  const { modelJson, weights } = await modelArtifacts(model);
  await writeAndSync(join(dir, WEIGHTS_FILE), weights);
  await writeAndSync(join(dir, 'model.json'), modelJson);
  await syncDir(dir);
}

/** The float32 weight specs of a model.json, checked; the error names the file. */
function weightSpecs(path: string, groups: unknown): { specs: tf.io.WeightsManifestEntry[]; bytes: number } {
  const specs: tf.io.WeightsManifestEntry[] = [];
  let bytes = 0;
  if (!Array.isArray(groups)) throw new Error(`${path} has no weightsManifest list`);
  for (const group of groups as { weights?: unknown; paths?: unknown }[]) {
    if (
      typeof group !== 'object' ||
      group === null ||
      !Array.isArray(group.weights) ||
      !Array.isArray(group.paths)
    ) {
      throw new Error(`${path}: each weightsManifest entry needs 'paths' and 'weights' lists`);
    }
    for (const w of group.weights as tf.io.WeightsManifestEntry[]) {
      const shapeOk =
        Array.isArray(w?.shape) && w.shape.every((d) => Number.isSafeInteger(d) && d >= 0 && d <= 2 ** 31);
      if (typeof w?.name !== 'string' || !shapeOk)
        throw new Error(`${path}: weight ${JSON.stringify(w?.name)} has no valid shape`);
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined) {
        throw new Error(
          `${path}: weight ${w.name} is ${w.dtype}${w.quantization ? ' (quantized)' : ''}; only float32 is read`,
        );
      }
      bytes += w.shape.reduce((a, b) => a * b, 1) * 4;
      if (bytes > MAX_WEIGHT_BYTES)
        throw new Error(`${path}: the weights need more than ${MAX_WEIGHT_BYTES} bytes`);
      specs.push(w);
    }
  }
  return { specs, bytes };
}

/**
 * Numbers in a topology that size what tfjs allocates when it builds the model; without a
 * template, none may exceed this (a model.json edited to `units: 1e12` must not be built).
 */
const MAX_TOPOLOGY_DIM = 1 << 16;
const SIZE_KEYS = new Set([
  'units',
  'filters',
  'kernel_size',
  'batch_input_shape',
  'input_dim',
  'output_dim',
  'target_shape',
  'dims',
]);

function checkTopologySizes(value: unknown, path: string, key = ''): void {
  if (typeof value === 'number' && SIZE_KEYS.has(key) && !(value >= 0 && value <= MAX_TOPOLOGY_DIM)) {
    throw new Error(`${path}: the topology's ${key} ${value} is outside [0, ${MAX_TOPOLOGY_DIM}]`);
  }
  if (Array.isArray(value)) for (const v of value) checkTopologySizes(v, path, key);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkTopologySizes(v, path, SIZE_KEYS.has(key) ? key : k);
  }
}

/**
 * Reads a model written by {@link saveModelToDir} (or by tfjs-node's file handler).
 *
 * @param template the network the weights are for (built from the run's config): the weights
 *   must have its shapes, and the model is built from its topology, not from the file's, so an
 *   edited model.json cannot make tfjs allocate more than the config says.
 */
export async function loadModelFromDir(dir: string, template?: tf.LayersModel): Promise<tf.LayersModel> {
  const path = join(dir, 'model.json');
  const json = (await readJsonFile(path)) as { modelTopology?: unknown; weightsManifest?: unknown } | null;
  if (
    !json ||
    typeof json !== 'object' ||
    typeof json.modelTopology !== 'object' ||
    json.modelTopology === null
  ) {
    throw new Error(`${path} is not a tfjs layers model (no modelTopology / weightsManifest)`);
  }
  const { specs, bytes } = weightSpecs(path, json.weightsManifest);
  let topology = json.modelTopology as object;
  if (template) {
    const want = template.weights.map((w) => w.shape);
    const got = specs.map((s) => s.shape);
    if (got.length !== want.length || got.some((s, i) => s.join() !== want[i].join())) {
      throw new Error(
        `${path}: the weights have shapes ${JSON.stringify(got)}, the run's network (its config.json) needs ${JSON.stringify(want)}`,
      );
    }
    topology = template.toJSON(null, false) as object;
    // The template's weight names are those tfjs gives its own variables; match the file's to them.
    template.weights.forEach((w, i) => {
      specs[i] = { ...specs[i], name: w.originalName };
    });
  } else {
    checkTopologySizes(topology, path);
  }
  const buffers: Buffer[] = [];
  let read = 0;
  for (const group of json.weightsManifest as { paths: unknown[] }[]) {
    for (const p of group.paths) {
      const file = await insideDir(dir, p, path);
      const buf = await readRegularFile(file, bytes - read).catch((err: Error) => {
        throw new Error(`the weights of ${path}: ${err.message} (the manifest needs ${bytes} bytes in all)`);
      });
      read += buf.byteLength;
      buffers.push(buf);
    }
  }
  const joined = Buffer.concat(buffers);
  if (joined.byteLength !== bytes) {
    throw new Error(
      `the weights of ${path} are ${joined.byteLength} bytes, the manifest needs ${bytes}: the file is truncated or foreign`,
    );
  }
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  const values = new Float32Array(weightData);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(
        `the weights of ${path} hold a non-finite value (${values[i]}) at index ${i}: the model is broken`,
      );
    }
  }
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData }),
    );
  } catch (err) {
    throw new Error(`${path} is not a model tfjs can build: ${(err as Error).message}`);
  }
}
