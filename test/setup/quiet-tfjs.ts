/**
 * Vitest setup (every test file): keeps tfjs' "Hi, looks like you are running TensorFlow.js in
 * Node.js" banner, which its cpu backend prints on first use in each test process, out of the
 * suite's output. A filter on console.warn rather than `tf.enableProdMode()` (what the CLI does,
 * src/cli/main.ts): importing tfjs here would cost every test file ~1.5 s, also those that never
 * use it. Every other warning passes through.
 */
import { dropTfjsBanner } from './tfjs-banner.js';

console.warn = dropTfjsBanner(console.warn.bind(console));
