/** The suite's filter of tfjs' Node.js banner (issue 14, polish). */
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { dropTfjsBanner } from './tfjs-banner.js';

describe('tfjs banner', () => {
  it('drops the banner and passes every other warning through', () => {
    const seen: unknown[][] = [];
    const warn = dropTfjsBanner((...args) => seen.push(args));
    warn('\n====\nHi, looks like you are running TensorFlow.js in Node.js. To speed things up …\n====');
    warn('a real warning', 3);
    expect(seen).toEqual([['a real warning', 3]]);
  });

  it('is installed for every test file of the suite', () => {
    expect(config.test?.setupFiles).toContain('test/setup/quiet-tfjs.ts');
  });
});
