import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuKernelsRegistered } from '../../src/backend/cpu-kernels.js';
import { initBackend, parseBackendName } from '../../src/backend/select.js';
import { wasmKernelsRegistered } from '../../src/backend/wasm/register.js';

const savedEnv = process.env.PIXELRL_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.PIXELRL_BACKEND;
  else process.env.PIXELRL_BACKEND = savedEnv;
});

describe('initBackend', () => {
  it('loads cpu when asked and says why', async () => {
    const lines: string[] = [];
    const info = await initBackend({ backend: 'cpu', log: (l) => lines.push(l) });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.chosenBecause).toMatch(/requested by the backend option/);
    expect(info.threads).toBe(1);
    expect(info.versions['tfjs-core']).toBe('4.22.0');
    expect(lines.at(-1)).toMatch(/^backend: using cpu/);
    expect(cpuKernelsRegistered()).toBe(true);
  });

  it('loads wasm with SIMD from node_modules', async () => {
    const info = await initBackend({ backend: 'wasm' });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.versions['tfjs-backend-wasm']).toBe('4.22.0');
    expect(wasmKernelsRegistered()).toBe(true);
  });

  it('says so when threads are asked for after wasm has loaded single-threaded', async () => {
    await initBackend({ backend: 'wasm' });
    const lines: string[] = [];
    const info = await initBackend({ backend: 'wasm', threads: 2, log: (l) => lines.push(l) });
    expect(info.threads).toBe(1);
    expect(lines).toContain('backend: 2 threads requested, wasm runs 1');
  });

  it('reads PIXELRL_BACKEND, case-insensitively', async () => {
    process.env.PIXELRL_BACKEND = 'CPU';
    const info = await initBackend();
    expect(info.name).toBe('cpu');
    expect(info.chosenBecause).toMatch(/PIXELRL_BACKEND=CPU/);
  });

  it('falls back past the native backends when they are not installed', async () => {
    delete process.env.PIXELRL_BACKEND;
    const info = await initBackend();
    // Here (no libtensorflow) the first that loads is wasm; both tensorflow packages are skipped.
    expect(info.name).toBe('wasm');
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow (gpu)', 'tensorflow (cpu)']);
    expect(info.skipped[0].reason.length).toBeGreaterThan(0);
  });

  it('rejects unknown names with the list of valid ones', async () => {
    await expect(initBackend({ backend: 'webgl' as 'cpu' })).rejects.toThrow(
      "unknown backend 'webgl': use one of tensorflow, wasm, cpu",
    );
    process.env.PIXELRL_BACKEND = 'gpu';
    await expect(initBackend()).rejects.toThrow(
      "unknown PIXELRL_BACKEND 'gpu': use one of tensorflow, wasm, cpu",
    );
    expect(() => parseBackendName(' Wasm ')).not.toThrow();
  });

  it('fails loudly when the asked-for native backend is missing', async () => {
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(/Install @tensorflow\/tfjs-node/);
  });
});
