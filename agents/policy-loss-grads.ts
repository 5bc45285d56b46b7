/**
 * The actor-critic losses of policy-losses.ts, evaluated in plain JS on the network's outputs
 * together with their gradients with respect to those outputs (logits [B, A] and values [B]).
 *
 * Why: for the small networks of classic control, computing the loss with tfjs ops costs more
 * than the network itself — ~250 of the ~320 kernels of a PPO minibatch step, each with a fixed
 * dispatch cost (measured on wasm, 2-core sandbox). Here the loss head runs as one loop over B
 * rows; the agent then backpropagates through the network once, by the chain rule, with the
 * surrogate Σ logits·∂L/∂logits + Σ values·∂L/∂values (whose gradient with respect to the weights
 * is exactly ∂L/∂weights). The tensor versions in policy-losses.ts remain the reference: a test
 * checks values and gradients against tfjs autodiff of them.
 *
 * Derivatives used (row i, action a_i, p = softmax(z), Â normalised outside):
 *   ∂ log p_a / ∂z_j = 1[j = a] − p_j;      ∂H/∂z_j = −p_j (log p_j + H)
 *   PPO: ∂L_clip/∂ log p_a = −Â·ρ/B where the unclipped term is the max, else 0
 *   value: ∂/∂V ½(V − R)² = V − R, or 0 where the clipped error is the larger (V_clip constant)
 */

/** The per-row inputs of a loss (one minibatch). */
export interface LossHeadInput {
  /** [B, A] row-major. */
  logits: Float32Array;
  numActions: number;
  /** [B] */
  values: Float32Array;
  actions: Int32Array;
  /** Â_t, already normalised if the agent normalises. */
  advantages: Float32Array;
  /** R_t */
  returns: Float32Array;
  entCoef: number;
  vfCoef: number;
}

/** PPO's extras: the acting-time log-probabilities and values, and the clip range. */
export interface PpoHeadInput extends LossHeadInput {
  oldLogProbs: Float32Array;
  oldValues: Float32Array;
  clipEpsilon: number;
  /** Clip the value loss around `oldValues` with `clipEpsilon`. */
  clipValueLoss: boolean;
}

/** Loss parts (means over the batch) and the gradient of the total with respect to the outputs. */
export interface LossHeadResult {
  loss: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** PPO only. */
  approxKl: number;
  /** PPO only. */
  clipFraction: number;
  /** ∂loss/∂logits, [B, A]. */
  dLogits: Float32Array;
  /** ∂loss/∂values, [B]. */
  dValues: Float32Array;
}

function checkInput(x: LossHeadInput): number {
  const b = x.values.length;
  if (x.logits.length !== b * x.numActions) {
    throw new Error(`loss head: ${x.logits.length} logits for ${b} rows of ${x.numActions} actions`);
  }
  for (const [name, arr] of [
    ['actions', x.actions],
    ['advantages', x.advantages],
    ['returns', x.returns],
  ] as const) {
    if (arr.length !== b) throw new Error(`loss head: ${name} has ${arr.length} rows, values has ${b}`);
  }
  return b;
}

/**
 * The shared part: log-softmax, entropy and its gradient, the value loss and its gradient; the
 * policy term is supplied per row by `policyTerm` as (loss contribution, ∂/∂ log π(a|s)).
 */
function lossHead(
  x: LossHeadInput,
  policyTerm: (row: number, logPi: number) => { loss: number; dLogPi: number },
  valueTerm: (row: number) => { loss: number; dValue: number },
): LossHeadResult {
  const b = checkInput(x);
  const n = x.numActions;
  const dLogits = new Float32Array(b * n);
  const dValues = new Float32Array(b);
  const logp = new Float64Array(n);
  let policyLoss = 0;
  let valueLoss = 0;
  let entropySum = 0;
  for (let i = 0; i < b; i++) {
    const off = i * n;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) max = Math.max(max, x.logits[off + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x.logits[off + j] - max);
    const logSum = Math.log(sum);
    let h = 0;
    for (let j = 0; j < n; j++) {
      logp[j] = x.logits[off + j] - max - logSum;
      h -= Math.exp(logp[j]) * logp[j];
    }
    entropySum += h;
    const a = x.actions[i];
    const pg = policyTerm(i, logp[a]);
    policyLoss += pg.loss;
    for (let j = 0; j < n; j++) {
      const p = Math.exp(logp[j]);
      // Policy: dLogPi·(1[j=a] − p_j); entropy bonus −c_e·H: −c_e·(−p_j(log p_j + H)).
      const dPolicy = pg.dLogPi * ((j === a ? 1 : 0) - p);
      const dEntropy = x.entCoef * p * (logp[j] + h);
      dLogits[off + j] = (dPolicy + dEntropy) / b;
    }
    const v = valueTerm(i);
    valueLoss += v.loss;
    dValues[i] = (x.vfCoef * v.dValue) / b;
  }
  policyLoss /= b;
  valueLoss /= b;
  const entropy = entropySum / b;
  return {
    loss: policyLoss - x.entCoef * entropy + x.vfCoef * valueLoss,
    policyLoss,
    valueLoss,
    entropy,
    approxKl: Number.NaN,
    clipFraction: Number.NaN,
    dLogits,
    dValues,
  };
}

const plainValue = (x: LossHeadInput) => (i: number) => {
  const d = x.values[i] - x.returns[i];
  return { loss: 0.5 * d * d, dValue: d };
};

/** A2C / REINFORCE: −mean(log π·Â) + c_v·½·mean((V − R)²) − c_e·mean(H). */
export function actorCriticLossHead(x: LossHeadInput): LossHeadResult {
  return lossHead(
    x,
    (i, logPi) => ({ loss: -logPi * x.advantages[i], dLogPi: -x.advantages[i] }),
    plainValue(x),
  );
}

/** PPO: clipped surrogate + c_v·(clipped) value loss − c_e·mean(H), with approx KL and clip fraction. */
export function ppoLossHead(x: PpoHeadInput): LossHeadResult {
  const b = checkInput(x);
  const eps = x.clipEpsilon;
  let kl = 0;
  let clipped = 0;
  const value = x.clipValueLoss
    ? (i: number) => {
        const v = x.values[i];
        const r = x.returns[i];
        const vOld = x.oldValues[i];
        const vClip = vOld + Math.min(Math.max(v - vOld, -eps), eps);
        const e1 = (v - r) ** 2;
        const e2 = (vClip - r) ** 2;
        // Where the clipped error wins, V_clip is constant in V (|V − V_old| > ε): no gradient.
        return e1 >= e2 ? { loss: 0.5 * e1, dValue: v - r } : { loss: 0.5 * e2, dValue: 0 };
      }
    : plainValue(x);
  const result = lossHead(
    x,
    (i, logPi) => {
      const logRatio = logPi - x.oldLogProbs[i];
      const ratio = Math.exp(logRatio);
      kl += ratio - 1 - logRatio;
      if (Math.abs(ratio - 1) > eps) clipped++;
      const adv = x.advantages[i];
      const unclipped = -adv * ratio;
      const clippedTerm = -adv * Math.min(Math.max(ratio, 1 - eps), 1 + eps);
      // d(−Â·ρ)/d log π = −Â·ρ; the clipped term is constant outside the range.
      return unclipped >= clippedTerm
        ? { loss: unclipped, dLogPi: -adv * ratio }
        : { loss: clippedTerm, dLogPi: 0 };
    },
    value,
  );
  return { ...result, approxKl: kl / b, clipFraction: clipped / b };
}
