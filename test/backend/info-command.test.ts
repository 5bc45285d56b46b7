// `pixelrl info` (src/cli/commands/info.ts) reports what src/backend/select.ts chose.
import { describe, expect, it, vi } from 'vitest';
import { formatBackendInfo, infoCommand } from '../../src/cli/commands/info.js';
import { cudaMissing } from '../../src/engine/select.js';

describe('pixelrl info', () => {
  it('prints the chosen backend as JSON with versions, threads and simd', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await infoCommand().parseAsync(['--backend', 'wasm', '--json'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    const info = JSON.parse(out.join(''));
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1);
    expect(info.versions['tfjs-backend-wasm']).toBe('4.22.0');
  });

  it('formats skipped backends with their reasons', () => {
    const text = formatBackendInfo({
      name: 'cpu',
      chosenBecause: 'requested by PIXELRL_BACKEND=cpu',
      skipped: [{ name: 'wasm', reason: 'not requested' }],
      threads: 1,
      simd: false,
      versions: { 'tfjs-core': '4.22.0' },
    });
    expect(text).toContain('backend   cpu — requested by PIXELRL_BACKEND=cpu');
    expect(text).toContain('simd      no');
    expect(text).toMatch(/skipped\n {2}wasm +not requested/);
  });

  it('never nests brackets: "(best that loaded (…))" was printed before (issue 14)', () => {
    const text = formatBackendInfo({
      name: 'wasm',
      chosenBecause: 'best that loaded (tensorflow-gpu → tensorflow → wasm → cpu)',
      skipped: [],
      threads: 1,
      simd: true,
      versions: {},
    });
    expect(text.split('\n')[0]).toBe(
      'backend   wasm — best that loaded (tensorflow-gpu → tensorflow → wasm → cpu)',
    );
    expect(text).not.toContain('))');
  });

  it('rejects an unknown backend name with the valid ones', async () => {
    await expect(infoCommand().parseAsync(['--backend', 'gpu'], { from: 'user' })).rejects.toThrow(
      "unknown --backend 'gpu': use one of tensorflow, wasm, cpu",
    );
  });

  it('names the training engine and why: ort by default here, tfjs when asked', async () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out.push(String(chunk));
        return true;
      });
      try {
        await infoCommand().parseAsync([...args, '--backend', 'cpu', '--json'], { from: 'user' });
      } finally {
        spy.mockRestore();
      }
      return JSON.parse(out.join('')).engine;
    };
    expect(await run([])).toMatchObject({ name: 'ort', device: 'cpu' });
    expect((await run([])).reason).toMatch(/onnxruntime-node 1\.30\.\d+, cpu, 1 thread/);
    expect(await run(['--engine', 'tfjs'])).toMatchObject({
      name: 'tfjs',
      reason: 'tfjs engine (asked for)',
    });
  });

  // Where the user fetched ORT's CUDA provider there is nothing to refuse.
  it.skipIf(cudaMissing() === null)(
    'refuses --device cuda without the CUDA provider, saying how to fetch it (exit code 2)',
    async () => {
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await expect(
          infoCommand().exitOverride().parseAsync(['--device', 'cuda'], { from: 'user' }),
        ).rejects.toMatchObject({
          exitCode: 2,
          message: expect.stringContaining('ONNXRUNTIME_NODE_INSTALL=cuda12'),
        });
      } finally {
        err.mockRestore();
      }
    },
  );
});
