/** The filter of test/setup/quiet-tfjs.ts, apart so that a test can check it. */

const BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';

/** `warn`, less the calls that print tfjs' Node.js banner. */
export function dropTfjsBanner(warn: (...args: unknown[]) => void): (...args: unknown[]) => void {
  return (...args) => {
    if (args.some((a) => typeof a === 'string' && a.includes(BANNER))) return;
    warn(...args);
  };
}
