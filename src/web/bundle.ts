/**
 * Bundling the browser code with esbuild: one minified ES module per page (the exported agent
 * page, the dashboard), from this package's own sources: src/web/page/main.ts under tsx, or the
 * compiled dist/src/web/page/main.js of an installed package. The tfjs wasm binaries the page may
 * fetch are found next to @tensorflow/tfjs-backend-wasm's own files.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export type BundleEntry = 'page' | 'dashboard';

/** The wasm binaries a page may ask for (the threaded build is never used: see page/backend.ts). */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'] as const;

const here = dirname(fileURLToPath(import.meta.url));

/** The entry file of `entry`: main.ts beside this file's sources, or main.js once compiled. */
function entryFile(entry: BundleEntry): string {
  for (const ext of ['ts', 'js']) {
    const file = join(here, entry, `main.${ext}`);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `the ${entry} sources are missing from ${join(here, entry)}: is the package installed whole?`,
  );
}

/** The bundled script of `entry`, minified. */
export async function bundle(entry: BundleEntry): Promise<string> {
  const result = await build({
    entryPoints: [entryFile(entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0].text;
}

/** Absolute path of a tfjs wasm binary in the installed @tensorflow/tfjs-backend-wasm. */
export function wasmFile(name: (typeof WASM_FILES)[number]): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), name);
}
