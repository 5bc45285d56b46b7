/**
 * RMSProp whose centered variant is right. tfjs 4.22's centered RMSProp divides by
 * √(ms − (mg² + ε)) instead of √(ms − mg² + ε) (rmsprop_optimizer.js), which goes NaN as soon
 * as ms − mg² < ε; the DQN Nature paper's optimizer is exactly this centered form with ε = 0.01
 * (Graves 2013), so it diverges at once. Passing −ε to tfjs' class turns its formula into the
 * correct one; this subclass does that and reports +ε in its config. The state layout and
 * checkpoint format are tfjs' own. Use {@link rmsprop} where `tf.train.rmsprop` would go.
 */
import * as tf from '@tensorflow/tfjs';

export class CenteredRMSPropOptimizer extends tf.RMSPropOptimizer {
  constructor(learningRate: number, decay = 0.9, momentum = 0, epsilon = 1e-7) {
    super(learningRate, decay, momentum, -epsilon, true);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    return { ...config, epsilon: -(config.epsilon as number) };
  }
}

/**
 * Drop-in for `tf.train.rmsprop` (same arguments), correct when `centered`.
 * @param epsilon added under the square root; 0.01 in the DQN Nature paper.
 */
export function rmsprop(
  learningRate: number,
  decay = 0.9,
  momentum = 0,
  epsilon = 1e-7,
  centered = false,
): tf.RMSPropOptimizer {
  if (!(epsilon > 0)) {
    throw new Error(`rmsprop: epsilon must be positive, got ${epsilon}`);
  }
  return centered
    ? new CenteredRMSPropOptimizer(learningRate, decay, momentum, epsilon)
    : new tf.RMSPropOptimizer(learningRate, decay, momentum, epsilon, false);
}
