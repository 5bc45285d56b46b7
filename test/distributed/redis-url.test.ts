/** The Redis URL as it may be shown: never with its password. */
import { describe, expect, it } from 'vitest';
import { checkRedisUrl, redactRedisUrl, runKeys } from '../../src/distributed/redis.js';

describe('redactRedisUrl / checkRedisUrl / runKeys', () => {
  it('hides the password (or a lone credential) and keeps the rest', () => {
    expect(redactRedisUrl('redis://alice:s3cret@10.0.0.2:6380/2')).toBe('redis://alice:***@10.0.0.2:6380/2');
    expect(redactRedisUrl('rediss://:s3cret@host:6379')).toBe('rediss://:***@host:6379');
    expect(redactRedisUrl('redis://tokenonly@host')).toBe('redis://***@host');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('::not a url s3cret')).not.toContain('s3cret');
  });

  it('refuses what is not a redis:// or rediss:// URL, without echoing it', () => {
    expect(() => checkRedisUrl('http://u:s3cret@host')).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    try {
      checkRedisUrl('not a url s3cret');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
    expect(() => checkRedisUrl('rediss://u:p@host:6380')).not.toThrow();
  });

  it('names keys after the run and refuses names that are not key-safe', () => {
    expect(runKeys('catch-1').stream).toBe('pixelrl:catch-1:stream');
    expect(runKeys('catch-1').slot(3)).toBe('pixelrl:catch-1:slot:3');
    expect(() => runKeys('a b')).toThrow(/must be letters/);
  });
});
