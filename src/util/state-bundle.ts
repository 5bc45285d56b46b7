/**
 * What a checkpoint stores of each stateful part, and the interface a part implements to take part.
 * It lies below the agents, the replay and src/checkpoint/, so each of them imports these types
 * without importing the others (src/checkpoint/checkpoint.ts writes and reads the bundles).
 */
import type * as tf from '@tensorflow/tfjs';

/** The typed arrays a state may hold. */
export type StateArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A part's state: plain JSON, typed arrays and tfjs models. */
export interface StateBundle {
  json: Record<string, unknown>;
  arrays: Record<string, StateArray>;
  models: Record<string, tf.LayersModel>;
}

/** Anything that can be saved into a checkpoint and restored from one. */
export interface Checkpointable {
  getState(): StateBundle;
  setState(state: StateBundle): void;
}
