/**
 * tfjs LayersModels to and from a folder in the standard tfjs format: `model.json` (topology and
 * weights manifest) and `weights.bin`, as `tfjs-node`'s `file://` handler writes them, so
 * `tf.loadLayersModel('file://…/model.json')` reads them under tfjs-node and
 * {@link loadModelFromDir} reads them under any backend (plain tfjs has no file handler in Node).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const WEIGHTS_FILE = 'weights.bin';

/** The parts of model.json this module reads. */
interface ModelJson {
  modelTopology: unknown;
  format?: string;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Writes `model` into `dir` (which must exist) as model.json + weights.bin. */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
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
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, WEIGHTS_FILE), Buffer.from(bytes));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Reads a model written by {@link saveModelToDir} (or by tfjs-node's file handler). */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const path = join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`cannot read the tfjs model ${path}: ${(err as Error).message}`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${path} is not a tfjs layers model (no modelTopology / weightsManifest)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(await readFile(join(dir, p)));
  }
  const joined = Buffer.concat(buffers);
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (joined.byteLength !== expected) {
    throw new Error(
      `the weights of ${path} are ${joined.byteLength} bytes, the manifest needs ${expected}: the file is truncated or foreign`,
    );
  }
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData }),
  );
}
