/**
 * A run directory as a browser page sees it: its {@link WebRun} description and its networks as
 * tfjs files (model.json + weights.bin bytes), for `pixelrl export` (which writes them next to
 * the page) and the dashboard (which serves them from memory and writes nothing).
 *
 * The run is read through the agent loader (src/train/load-agent.ts validates the run
 * and says what is wrong with it; readCheckpoint gives the trained networks), so the page gets
 * exactly the weights `pixelrl play` and `eval` use.
 */
import { basename, resolve } from 'node:path';
import { disposeCheckpoint, readCheckpoint } from '../checkpoint/checkpoint.js';
import { modelArtifacts } from '../checkpoint/tfjs-files.js';
import { setupEnv } from '../train/env-setup.js';
import { type LoadedAgent, loadAgent } from '../train/load-agent.js';
import { makeRunEnv } from './run-env.js';
import { WEB_RUN_FORMAT, type WebEnvRecipe, type WebRun } from './web-run.js';

/** One network in the tfjs web format. */
export interface ModelFiles {
  name: string;
  /** model.json text; its weights manifest points at `./weights.bin`. */
  modelJson: string;
  weights: Uint8Array;
}

export interface LoadedWebRun {
  run: WebRun;
  models: ModelFiles[];
}

export interface WebRunOptions {
  /** No-op starts of the page's episodes (30, as `pixelrl play`). */
  noopMax?: number;
  /** ε of the agent's play on the page (0.05, as `pixelrl play`). */
  epsilon?: number;
}

/** Emulator frames per second of the bundled games, and the step rate of classic-control envs (as `play`). */
const EMULATOR_HZ = 60;
const CLASSIC_FPS = 30;
/** Which checkpoint models a page runs, by algorithm: the acting network(s). */
const ACTING_MODELS = ['online', 'actorCritic', 'actor', 'critic'];

/** Reads `runDir` (a run written by `pixelrl train`, or a bundled agent). Throws with a message naming it. */
export async function loadWebRun(runDir: string, options: WebRunOptions = {}): Promise<LoadedWebRun> {
  const noopMax = options.noopMax ?? 30;
  const epsilon = options.epsilon ?? 0.05;
  let agent: LoadedAgent;
  try {
    agent = await loadAgent(runDir);
  } catch (err) {
    throw new Error(
      `${runDir} is not a run an agent can be loaded from: ${(err as Error).message} ` +
        '(pass a run directory written by `pixelrl train`, or a bundled agent such as catch-dqn)',
    );
  }
  let run: WebRun;
  try {
    run = describe(agent, runDir, noopMax, epsilon);
  } finally {
    agent.dispose();
  }
  const checkpoint = await readCheckpoint(runDir, agent.config.algo);
  try {
    const all = checkpoint.parts.agent?.models ?? {};
    const names = ACTING_MODELS.filter((n) => all[n] !== undefined);
    if (names.length === 0) throw new Error(`${runDir}: the checkpoint's agent has no acting network`);
    const models: ModelFiles[] = [];
    for (const name of names) models.push({ name, ...(await modelArtifacts(all[name])) });
    return { run: { ...run, models: names }, models };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}

function describe(agent: LoadedAgent, runDir: string, noopMax: number, epsilon: number): WebRun {
  const c = agent.config;
  let env: WebEnvRecipe;
  let frameskip = 1;
  let atariKind: boolean;
  if (c.algo === 'dqn') {
    const setup = setupEnv(c.env, c.envOptions, c.frameSize, noopMax);
    atariKind = setup.spec.kind === 'atari';
    frameskip = setup.frameskip;
    env = { kind: 'dqn', id: c.env, options: c.envOptions, frameSize: atariKind ? c.frameSize : undefined };
  } else {
    const atari = c.atari;
    const setup = setupEnv(c.env, atari === null ? c.envOptions : { ...atari }, atari?.screenSize, noopMax);
    atariKind = setup.spec.kind === 'atari';
    frameskip = setup.frameskip;
    env = { kind: 'on-policy', id: c.env, atari, options: c.envOptions };
  }
  const probe = makeRunEnv({ env, noopMax }, 0);
  const n = (probe.actionSpace as { n?: number }).n ?? agent.numActions;
  const actionMeanings = probe.actionMeanings
    ? [...probe.actionMeanings]
    : Array.from({ length: n }, (_, a) => `action ${a}`);
  probe.close();
  return {
    format: WEB_RUN_FORMAT,
    env,
    algo: c.algo,
    step: agent.step,
    inputShape: [...agent.inputShape],
    frameShape: [...agent.frameShape],
    historyLength: agent.historyLength,
    numActions: agent.numActions,
    panel: agent.panel,
    models: [],
    actionMeanings,
    realTimeFps: atariKind ? EMULATOR_HZ / frameskip : CLASSIC_FPS,
    noopMax,
    epsilon,
    label: `${c.env} · ${c.algo} · ${basename(resolve(runDir))} · step ${agent.step}`,
  };
}
