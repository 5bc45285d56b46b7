/** `pixelrl info`: which tensor backend pixelrl would use here, and why; versions, threads, SIMD. */
import { availableParallelism, cpus } from 'node:os';
import { Command } from 'commander';
import { type BackendInfo, initBackend, parseBackendName } from '../../backend/select.js';

export function infoCommand(): Command {
  return new Command('info')
    .description('show the tensor backend pixelrl chooses (and why), versions, threads and SIMD')
    .option(
      '--backend <name>',
      'try this backend instead (tensorflow, wasm, cpu); default: PIXELRL_BACKEND or the best that loads',
    )
    .option('--threads <n>', 'threads to ask the wasm backend for')
    .option('--json', 'print JSON instead of text')
    .action(async (opts: { backend?: string; threads?: string; json?: boolean }) => {
      const threads = opts.threads === undefined ? undefined : Number(opts.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
        throw new Error(`--threads must be a positive integer, got '${opts.threads}'`);
      }
      const info = await initBackend({
        backend: opts.backend === undefined ? undefined : parseBackendName(opts.backend, '--backend'),
        threads,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatBackendInfo(info));
    });
}

/** The text `pixelrl info` prints. */
export function formatBackendInfo(info: BackendInfo): string {
  const lines = [
    `backend   ${info.name} (${info.chosenBecause})`,
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
