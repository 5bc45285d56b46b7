/**
 * Custom envs from a module: `pixelrl train --env-module ./my-env.js --env MyEnv-v0`. The module
 * registers its envs when imported, with the library's `register` (or exports them as `envs`, an
 * array of EnvSpec, which are registered for it); the chosen env then passes `checkEnv` before
 * anything is trained, and its problems are reported on one line.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkEnv } from '../../../envs/check-env.js';
import { createRegistry, type EnvSpec, register } from '../../../envs/registry.js';

/** The envs each module registered (an ES module runs once per process: a second load returns these). */
const loadedModules = new Map<string, string[]>();

/** Imports `path` and returns the ids of the envs it registered. Throws a one-line Error. */
export async function loadEnvModule(path: string): Promise<string[]> {
  const url = pathToFileURL(resolve(path)).href;
  const known = loadedModules.get(url)?.filter((id) => createRegistry().ids().includes(id));
  if (known && known.length > 0) return known;
  const before = new Set(createRegistry().ids());
  let mod: { envs?: unknown; default?: unknown };
  try {
    mod = (await import(url)) as typeof mod;
  } catch (err) {
    throw new Error(`--env-module ${path}: cannot import it: ${oneLine((err as Error).message)}`);
  }
  const exported = Array.isArray(mod.envs) ? mod.envs : Array.isArray(mod.default) ? mod.default : [];
  for (const spec of exported as EnvSpec[]) {
    if (!createRegistry().ids().includes(spec?.id)) register(spec);
  }
  const added = createRegistry()
    .ids()
    .filter((id) => !before.has(id));
  if (added.length > 0) loadedModules.set(url, added);
  if (added.length === 0) {
    throw new Error(
      `--env-module ${path} registered no env: call register({ id: 'MyEnv-v0', kind: 'classic', ... }) from pixelrl in it, or export an array of env specs as \`envs\``,
    );
  }
  return added;
}

/** Runs `checkEnv` on a fresh env `id` (seed 0, its default options); throws its problems on one line. */
export function checkRegisteredEnv(id: string, steps = 200): void {
  let env: ReturnType<ReturnType<typeof createRegistry>['make']>;
  try {
    env = createRegistry().make(id, {}, 0);
  } catch (err) {
    throw new Error(`${id}: cannot build it: ${oneLine((err as Error).message)}`);
  }
  try {
    checkEnv(env, { steps });
  } catch (err) {
    throw new Error(`${id} fails checkEnv: ${oneLine((err as Error).message)}`);
  } finally {
    env.close();
  }
}

/**
 * The CLI's preparation: imports the module, and checks the env to train (`env`, which must be
 * one of the envs it registered, or any registered id). Envs registered in this process cannot
 * run in worker threads.
 */
export async function prepareEnvModule(path: string, env: string | undefined, workers = 0): Promise<string> {
  const added = await loadEnvModule(path);
  if (env === undefined) {
    throw new Error(`--env-module ${path}: pass --env with the env to train, one of: ${added.join(', ')}`);
  }
  createRegistry().spec(env);
  if (workers > 0 && added.includes(env)) {
    throw new Error(
      `--env-module envs are registered in this process only and cannot run in --workers threads; use --workers 0`,
    );
  }
  if (added.includes(env)) checkRegisteredEnv(env);
  return env;
}

function oneLine(message: string): string {
  return message.replace(/:\s*\n-\s*/, ': ').replace(/\s*\n-?\s*/g, '; ');
}
