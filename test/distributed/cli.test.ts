/** `pixelrl actor` and `pixelrl train --distributed`: bad input → one clear line and exit code 2, no password echoed. */
import { describe, expect, it } from 'vitest';
import { actorCommand } from '../../src/cli/commands/actor.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { runCommands } from '../cli/viewer-helpers.js';

const cli = (args: string[]) => runCommands([actorCommand(), trainCommand()], args);

describe('distributed CLI arguments', () => {
  it('pixelrl actor needs a redis:// URL and a key-safe run name', async () => {
    const saved = process.env.PIXELRL_REDIS_URL;
    delete process.env.PIXELRL_REDIS_URL;
    try {
      const none = await cli(['actor', '--run', 'r']);
      expect(none.code).toBe(2);
      expect(none.err.trim()).toBe('error: --redis URL is required (or set PIXELRL_REDIS_URL)');
    } finally {
      if (saved !== undefined) process.env.PIXELRL_REDIS_URL = saved;
    }
    const http = await cli(['actor', '--redis', 'http://u:hunter2@h:1', '--run', 'r']);
    expect(http.code).toBe(2);
    expect(http.err).toMatch(/must start with redis:\/\/ or rediss:\/\//);
    expect(http.err).not.toContain('hunter2');
    const name = await cli(['actor', '--redis', 'redis://h:1', '--run', 'a b']);
    expect(name.code).toBe(2);
    expect(name.err).toMatch(/run name "a b" must be letters/);
    const envs = await cli(['actor', '--redis', 'redis://h:1', '--run', 'r', '--envs', '0']);
    expect(envs.code).toBe(2);
    expect(envs.err).toMatch(/--envs must be an integer >= 1/);
  });

  it('pixelrl train --distributed needs --redis or --local-actors, DQN, and whole numbers', async () => {
    const bare = await cli(['train', '--distributed', '--steps', '10']);
    expect(bare.code).toBe(2);
    expect(bare.err.trim()).toBe(
      'error: --distributed needs --redis URL, or --local-actors N to start a private redis-server here',
    );
    const ppo = await cli(['train', '--distributed', '--redis', 'redis://:hunter2@h:1', '--algo', 'ppo']);
    expect(ppo.code).toBe(2);
    expect(ppo.err).toMatch(/--distributed trains DQN \(Ape-X\), not --algo ppo/);
    expect(ppo.err).not.toContain('hunter2');
    const bad = await cli(['train', '--distributed', '--redis', 'mysql://h']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--redis must start with redis:\/\//);
    const zero = await cli(['train', '--distributed', '--local-actors', '0']);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/--local-actors must be an integer >= 1/);
    const slots = await cli(['train', '--distributed', 'x', '--local-actors', '1']);
    expect(slots.code).toBe(2);
    expect(slots.err).toMatch(/--distributed must be an integer >= 1/);
  });
});
