/**
 * `pixelrl info`: which training engine (and execution provider) and which tfjs backend pixelrl
 * would use here, and why the others were not; versions, threads, SIMD.
 */
import { availableParallelism, cpus } from 'node:os';
import { Command } from 'commander';
import { type BackendInfo, initBackend, parseBackendName } from '../../backend/select.js';
import { createEngine, type Engine, parseDevice, parseEngineName } from '../../engine/select.js';

export function infoCommand(): Command {
  const command = new Command('info');
  return command
    .description('show the tensor backend pixelrl chooses (and why), versions, threads and SIMD')
    .option(
      '--backend <name>',
      'try this backend instead (tensorflow, wasm, cpu); default: PIXELRL_BACKEND or the best that loads',
    )
    .option('--engine <name>', 'try this training engine (ort, tfjs, auto); default: PIXELRL_ENGINE or auto')
    .option('--device <name>', "the ort engine's device (cpu, cuda, webgpu); default: PIXELRL_DEVICE or cpu")
    .option('--threads <n>', 'threads to ask the wasm backend for')
    .option('--json', 'print JSON instead of text')
    .action(
      async (opts: {
        backend?: string;
        engine?: string;
        device?: string;
        threads?: string;
        json?: boolean;
      }) => {
        const threads = opts.threads === undefined ? undefined : Number(opts.threads);
        if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
          throw new Error(`--threads must be a positive integer, got '${opts.threads}'`);
        }
        let engine: Engine;
        try {
          engine = createEngine({
            engine: opts.engine === undefined ? undefined : parseEngineName(opts.engine),
            device: opts.device === undefined ? undefined : parseDevice(opts.device),
          });
        } catch (err) {
          return command.error(`error: ${(err as Error).message}`, { exitCode: 2 });
        }
        const info = await initBackend({
          backend: opts.backend === undefined ? undefined : parseBackendName(opts.backend, '--backend'),
          threads,
        });
        const engineInfo = {
          name: engine.name,
          device: engine.device,
          reason: engine.reason,
          skipped: engine.skipped,
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ engine: engineInfo, ...info }, null, 2)}\n`
            : formatEngineInfo(engine) + formatBackendInfo(info),
        );
      },
    );
}

/**
 * The engine lines of `pixelrl info`. Reasons are set off with a dash, not brackets: they hold
 * brackets of their own ("best that loaded (tensorflow-gpu → …)"), which would nest.
 */
export function formatEngineInfo(engine: Engine): string {
  const lines = [`engine    ${engine.name}, device ${engine.device} — ${engine.reason}`];
  for (const s of engine.skipped) lines.push(`  skipped ${s}`);
  return `${lines.join('\n')}\n`;
}

/** The backend lines of `pixelrl info` (the tfjs engine's backend, and the browser's runtime). */
export function formatBackendInfo(info: BackendInfo): string {
  const lines = [
    `backend   ${info.name} — ${info.chosenBecause}`,
    `threads   ${info.threads}`,
    `simd      ${info.simd ? 'yes' : 'no'}`,
    `machine   ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.versions.node}`,
    'versions',
    ...Object.entries(info.versions).map(([k, v]) => `  ${k.padEnd(20)} ${v}`),
  ];
  if (info.skipped.length > 0) {
    lines.push('skipped');
    for (const s of info.skipped) lines.push(`  ${s.name.padEnd(20)} ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
