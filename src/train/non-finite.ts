/**
 * Stopping a run that has gone numerically bad: a NaN or infinite loss (read from what the
 * agent's `update` returns) or weight (read through the agent's getState models, at checkpoint
 * time) stops training before anything is saved, so the last good checkpoint stays the one on
 * disk. The message names the step and the settings that usually cause it.
 */
import type { StateBundle } from '../util/state-bundle.js';

export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    what: string,
    hint: string,
  ) {
    super(
      `training stopped at step ${step}: ${what}. ${hint} The last good checkpoint is kept; nothing was saved after it.`,
    );
    this.name = 'NonFiniteError';
  }
}

/** The settings to look at first, by algorithm family. */
export function nonFiniteHint(settings: Record<string, unknown>): string {
  const lr = settings.learningRate;
  const shown = typeof lr === 'number' ? ` (it is ${lr})` : '';
  return `Lower the learning rate${shown}; check maxGradNorm and the reward scale.`;
}

/** Throws a {@link NonFiniteError} if `loss` is NaN or infinite. */
export function checkLoss(loss: number, step: number, hint: string): void {
  if (!Number.isFinite(loss)) throw new NonFiniteError(step, `the loss is ${loss}`, hint);
}

/** Throws a {@link NonFiniteError} if any weight of the bundle's models is NaN or infinite. */
export function checkWeights(bundle: StateBundle, step: number, hint: string): void {
  for (const [name, model] of Object.entries(bundle.models)) {
    for (const w of model.weights) {
      const values = w.read().dataSync();
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) {
          throw new NonFiniteError(step, `network '${name}' has a non-finite weight in ${w.name}`, hint);
        }
      }
    }
  }
}
