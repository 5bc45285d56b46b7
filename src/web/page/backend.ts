/**
 * The page's tfjs backend: `webgl`, else `wasm`, else `cpu` (the first that initialises), or the
 * one named by `?backend=` in the page's address. The chosen name is shown on the page. The wasm
 * binaries are fetched from the page's own folder, and only when wasm is tried; the threaded
 * build is never asked for (it needs cross-origin isolation, which a static host rarely gives).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export const PAGE_BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export interface ChosenBackend {
  name: PageBackend;
  /** Backends tried before it, each with why it did not start. */
  skipped: string[];
}

/** Starts the first backend of `order` that works; `wasmBase` is the folder URL of the .wasm files. */
export async function chooseBackend(asked: PageBackend | null, wasmBase: string): Promise<ChosenBackend> {
  setWasmPaths(wasmBase);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const order: readonly PageBackend[] = asked ? [asked] : PAGE_BACKENDS;
  const skipped: string[] = [];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, skipped };
      }
      skipped.push(`${name}: did not initialise`);
    } catch (err) {
      skipped.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no tfjs backend started (${skipped.join('; ')})`);
}

/** `?backend=` of the page's address, when it names one of {@link PAGE_BACKENDS}. */
export function askedBackend(search: URLSearchParams): PageBackend | null {
  const b = search.get('backend');
  return (PAGE_BACKENDS as readonly string[]).includes(b ?? '') ? (b as PageBackend) : null;
}
