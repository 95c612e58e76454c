import type { Model } from "../onnx/ir.ts";

/** One approximation level of a model. */
export interface ApproxLevel {
  /** 1-based level: higher = more approximate. */
  level: number;
  /**
   * How much was removed at this level, in [0, 1): the fraction of each
   * prunable layer's channels (pruning) or of each factorized layer's rank
   * (low-rank factorization).
   */
  fraction: number;
  /** The approximated model (a new model; the input is not modified). */
  model: Model;
}

/** Anything holding a model: a raw {@link Model} or a loaded network (`{ model }`). */
export type ModelSource = Model | { model: Model };

/**
 * An approximation technique with discrete levels, consumed by error
 * calibration and guided tuning.
 */
export interface Approximator {
  /** Short name for reports, e.g. `prune` or `lowrank`. */
  readonly name: string;
  /** Number of levels {@link levels} yields. */
  readonly nSteps: number;
  /** The approximated models, least approximate first (level 1 … nSteps). */
  levels(nn: ModelSource): AsyncIterable<ApproxLevel>;
}

/** The {@link Model} inside a {@link ModelSource}. */
export function modelOf(nn: ModelSource): Model {
  return "graph" in nn ? nn : nn.model;
}
