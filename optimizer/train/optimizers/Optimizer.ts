import type { GraphWriter } from "../GraphWriter.ts";

/** One trainable parameter as the optimizer sees it inside the training graph. */
export interface ParamSlot {
  /** Current value (a graph input). */
  param: string;
  /** Its gradient d(loss)/d(param). */
  grad: string;
  /** Current optimizer state, one graph input per {@link Optimizer.stateSlots} entry, shaped like the param. */
  state: string[];
}

/** Names of the updated values an optimizer appended for one parameter. */
export interface ParamUpdate {
  param: string;
  state: string[];
}

/**
 * An optimizer as ONNX update nodes: parameters and state in, updated
 * values out. The learning rate and the 1-based step count `t` are scalar
 * graph inputs, so schedules stay on the host and one training graph serves
 * every step. State starts at zeros.
 */
export interface Optimizer {
  /** Short name, e.g. `sgd`. */
  readonly kind: string;
  /** Per-parameter state tensors, e.g. `["momentum"]` or `["m", "v"]`. */
  readonly stateSlots: readonly string[];
  /** Hyper-parameters, recorded in checkpoints so a resume with different ones is refused. */
  readonly config: Readonly<Record<string, number | boolean>>;
  /** Appends the update of one parameter; `lr` and `t` are scalar value names. */
  append(w: GraphWriter, slot: ParamSlot, lr: string, t: string): ParamUpdate;
}
