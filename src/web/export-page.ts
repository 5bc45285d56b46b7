/**
 * `pixelrl export`'s library side: writes a run's agent page into a folder that any static file
 * host can serve.
 *
 *   out/index.html         the page
 *   out/app.js             the bundled player (tfjs, the games, φ, the playback loop)
 *   out/run.json           the run's description (web-run.ts)
 *   out/<model>/model.json + weights.bin   the acting network(s) in tfjs format
 *   out/tfjs-backend-wasm*.wasm            fetched only if WebGL does not start
 */
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundle, WASM_FILES, wasmFile } from './bundle.js';
import { exportPageHtml } from './html.js';
import { loadWebRun, type WebRunOptions } from './load-web-run.js';
import type { WebRun } from './web-run.js';

export interface ExportResult {
  outDir: string;
  run: WebRun;
  /** Bytes of app.js. */
  scriptBytes: number;
  /** Bytes of the model files (model.json + weights.bin of each network). */
  modelBytes: number;
  /** Bytes of the wasm binaries (fetched only when WebGL does not start). */
  wasmBytes: number;
}

export async function exportPage(
  runDir: string,
  outDir: string,
  options: WebRunOptions = {},
): Promise<ExportResult> {
  const { run, models } = await loadWebRun(runDir, options);
  const script = await bundle('page');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.html'), exportPageHtml(run.label));
  await writeFile(join(outDir, 'app.js'), script);
  await writeFile(join(outDir, 'run.json'), `${JSON.stringify(run, null, 1)}\n`);
  let modelBytes = 0;
  for (const m of models) {
    await mkdir(join(outDir, m.name), { recursive: true });
    await writeFile(join(outDir, m.name, 'model.json'), m.modelJson);
    await writeFile(join(outDir, m.name, 'weights.bin'), m.weights);
    modelBytes += Buffer.byteLength(m.modelJson) + m.weights.byteLength;
  }
  let wasmBytes = 0;
  for (const name of WASM_FILES) {
    await copyFile(wasmFile(name), join(outDir, name));
    wasmBytes += (await stat(join(outDir, name))).size;
  }
  return { outDir, run, scriptBytes: Buffer.byteLength(script), modelBytes, wasmBytes };
}
