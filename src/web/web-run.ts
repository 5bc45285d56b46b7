/**
 * What a browser page needs to know about a run to play its agent: the env to build (as the
 * run's `pixelrl eval` / `play` builds it), the network's input and output, and the names of its
 * model folders. Node writes it as `run.json` (export) or serves it (dashboard); the page reads
 * it back with {@link checkWebRun}. Plain data, browser-safe: nothing here imports Node or tfjs.
 */
import type { MakeAtariOptions } from '../../envs/make-atari.js';

export const WEB_RUN_FORMAT = 'pixelrl-web-run';

/** How the page builds the env: a DQN run's setupEnv, or an on-policy run's eval env. */
export type WebEnvRecipe =
  | {
      kind: 'dqn';
      id: string;
      options: Record<string, unknown>;
      /** Side of the φ frames (pixel games); undefined for vector envs. */
      frameSize?: number;
    }
  | {
      kind: 'on-policy';
      id: string;
      /** makeAtari options of a pixel run (it stacks its own frames), null for vector envs. */
      atari: MakeAtariOptions | null;
      options: Record<string, unknown>;
    };

export interface WebRun {
  format: typeof WEB_RUN_FORMAT;
  env: WebEnvRecipe;
  algo: string;
  /** Agent steps the checkpoint was taken at. */
  step: number;
  /** Network input shape of one observation, e.g. [42, 42, 4] or [4]. */
  inputShape: number[];
  /** Shape of what the env emits per step (the page stacks `historyLength` of them). */
  frameShape: number[];
  historyLength: number;
  numActions: number;
  /** What the bars show: Q-values (`values`, DQN) or action probabilities (`policy`). */
  panel: 'values' | 'policy';
  /**
   * Model folders under the page, each with model.json + weights.bin: `online` (DQN: outputs Q),
   * `actorCritic` (outputs [logits, value]), or `actor` (logits) and `critic` (value).
   */
  models: string[];
  /** Names of the actions, index = action. */
  actionMeanings: string[];
  /** Agent steps per second of real time (60 Hz / frameskip for pixel games). */
  realTimeFps: number;
  /** Up to this many no-ops at episode start, as in `pixelrl eval` / `play`. */
  noopMax: number;
  /** ε of the agent's ε-greedy play (0.05 as in eval). */
  epsilon: number;
  /** Shown on the page: env, run folder name, step. */
  label: string;
}

/** `value` as a {@link WebRun}, or an Error that says what is wrong with it. */
export function checkWebRun(value: unknown, where = 'run.json'): WebRun {
  const r = value as Partial<WebRun> | null;
  if (typeof r !== 'object' || r === null || r.format !== WEB_RUN_FORMAT) {
    throw new Error(`${where} is not a pixelrl web run (format "${WEB_RUN_FORMAT}")`);
  }
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  const shape = (s: unknown) => Array.isArray(s) && s.length > 0 && s.every(positive);
  if (!shape(r.inputShape) || !shape(r.frameShape)) throw new Error(`${where}: bad inputShape / frameShape`);
  if (!positive(r.numActions) || !positive(r.historyLength)) {
    throw new Error(`${where}: numActions and historyLength must be positive integers`);
  }
  if (!Array.isArray(r.models) || r.models.length === 0) throw new Error(`${where}: no models listed`);
  if (r.panel !== 'values' && r.panel !== 'policy')
    throw new Error(`${where}: panel must be values or policy`);
  if (typeof r.env !== 'object' || r.env === null || typeof r.env.id !== 'string') {
    throw new Error(`${where}: no env recipe`);
  }
  return r as WebRun;
}
