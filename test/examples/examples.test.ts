/**
 * The programs in examples/ run with a tiny budget (PIXELRL_EXAMPLE_QUICK=1: the same code with
 * small numbers) and type-check against the package's published types: the declarations
 * `npm run build` ships (built here into a temp folder, as tsconfig.build.json emits them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const examples = join(root, 'examples');
const tmp = mkdtempSync(join(tmpdir(), 'pixelrl-examples-'));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Runs a command in the checkout; returns its exit code and output. */
function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** An example run by tsx from this checkout's sources (examples/tsconfig.run.json maps `pixelrl` to src/). */
const tsx = (...args: string[]) =>
  run(bin('tsx'), ['--tsconfig', join(examples, 'tsconfig.run.json'), ...args], {
    PIXELRL_EXAMPLE_QUICK: '1',
  });

describe('examples', () => {
  it('cartpole-dqn.ts trains, evaluates and saves a run directory', () => {
    const out = join(tmp, 'cartpole');
    const r = tsx(join(examples, 'cartpole-dqn.ts'), out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/trained 1200 steps, \d+ episodes/);
    expect(r.out).toMatch(/greedy evaluation: \d+\.\d ± \d+\.\d/);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).algo).toBe('dqn');
  }, 120_000);

  it('catch-pixels.ts stops at the reward threshold and keeps the best agent', () => {
    const out = join(tmp, 'catch');
    const r = tsx(join(examples, 'catch-pixels.ts'), out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^step 200: evaluation -?\d/m);
    expect(r.out).toContain(`stopped at step 200; best agent in ${out}/best`);
    expect(existsSync(join(out, 'best', 'config.json'))).toBe(true);
  }, 120_000);

  it('custom-env/corridor.js trains from the CLI with --env-module', () => {
    const out = join(tmp, 'corridor');
    const t = tsx(
      join(root, 'src/cli/main.ts'),
      ...['train', '--env-module', join(examples, 'custom-env/corridor.js'), '--env', 'Corridor-v0'],
      ...['--steps', '300', '--learning-starts', '100', '--progress', 'off', '--run-name', out],
    );
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/trained 300 steps/);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).env).toBe('Corridor-v0');
  }, 120_000);

  it('type-check against the published declarations (tsc --noEmit)', () => {
    const dist = join(tmp, 'dist');
    // Declarations only, as the build emits them; type errors elsewhere in a work tree do not stop the emit.
    run(
      bin('tsc'),
      ['-p', join(root, 'tsconfig.build.json'), '--emitDeclarationOnly', '--declarationMap', 'false'].concat([
        '--sourceMap',
        'false',
        '--outDir',
        dist,
      ]),
    );
    expect(existsSync(join(dist, 'src', 'index.d.ts'))).toBe(true);
    const check = (name: string, files: string[]) => {
      const config = join(tmp, `tsconfig.${name}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          extends: join(examples, 'tsconfig.json'),
          compilerOptions: {
            paths: { pixelrl: [join(dist, 'src', 'index.d.ts')] },
            typeRoots: [join(root, 'node_modules/@types')],
          },
          include: files,
        }),
      );
      return run(bin('tsc'), ['-p', config]);
    };
    const r = check('examples', [join(examples, '*.ts'), join(examples, 'custom-env/*.js')]);
    expect(r.code, r.out + r.err).toBe(0);
    // The types are real ones, not `any`: a misspelt setting and a wrong hook type are refused.
    const bad = join(tmp, 'bad.ts');
    writeFileSync(
      bad,
      "import { DQN, type Callback } from 'pixelrl';\n" +
        "new DQN('CartPole-v1', { stepz: 10 });\n" +
        'const c: Callback = { onStep: (info) => info.step.toFixed() + info.nope };\n' +
        'export { c };\n',
    );
    const refused = check('bad', [bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/'stepz' does not exist/);
    expect(refused.out).toMatch(/Property 'nope' does not exist/);
  }, 180_000);
});
