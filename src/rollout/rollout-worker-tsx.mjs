/**
 * The worker entry when the rollout code runs from TypeScript source (vitest, `npx tsx`): loads
 * rollout-worker.ts through tsx's ESM API. From `dist/`, WorkerSlot loads rollout-worker.js directly
 * and this file is not used.
 *
 * Why not `execArgv: ['--import', 'tsx']`: piscina loads a worker file with `require()` first, which
 * tsx's CommonJS hook then compiles to CommonJS, where every imported binding becomes a getter call;
 * the pixel games' palette lookups then ran 5–7x slower in the worker than in the main thread. And in
 * Node 20, tsx's ESM hooks registered by `--import` do not reach a worker thread's own imports.
 * A `.mjs` file cannot be `require()`d, so piscina falls back to `import()`, and `tsImport` loads the
 * worker as ESM: same speed as the main thread.
 */
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./rollout-worker.ts', import.meta.url);

export default worker.default;
