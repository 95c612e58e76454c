import type { LaneMaskErrorParams } from "./laneMaskErrorStats.ts";

/**
 * Error added to a regression NN's outputs (the regression injection; the
 * kind keeps its historical name): output `k` gets `bias[k] + std[k]·z`,
 * z ~ N(0, 1), in the output's units. A `structured` family adds, per output,
 * Student-t noise of tail weight `tail[k]` = 1/ν (0 = Gaussian; same spread), an error
 * `gain[k]·(truth − center[k])` that follows the truth, and noise correlated in
 * time with `correlationTime[k]` seconds and a bias offset of spread `runOffset[k]` drawn
 * once per run (see the perception's
 * `RegressionErrorSchema`). Absent arrays: those terms are off.
 */
export interface GaussianInjection extends GaussianTerms {
  kind: "gaussian";
  /**
   * Equally likely alternatives, one drawn per run (and per output) from the run's seed, that replace the
   * terms above for that run: errors that differ from world to world (an error family's `worldSpread`).
   * The terms above are then the average world's. @default none
   */
  perRun?: GaussianTerms[];
}

/** The error terms of a {@link GaussianInjection}, per output. */
export interface GaussianTerms {
  bias: number[];
  std: number[];
  tail?: number[];
  gain?: number[];
  stdSlope?: number[];
  center?: number[];
  correlationTime?: number[];
  /** Spread of an offset added to `bias` for a whole run, drawn once per run (and output) from the run's seed. */
  runOffset?: number[];
}

/** Lane-mask pixel error model parameters (see {@link LaneMaskErrorParams}). */
export interface LaneMaskInjection extends LaneMaskErrorParams {
  kind: "lane-mask";
}

/** What to inject into one NN's perception. */
export type NnInjection = GaussianInjection | LaneMaskInjection;

/**
 * Error injection for one QoS evaluation: one entry per NN, keyed by the NN's
 * name (e.g. `{ heading: { kind: "gaussian", bias: [0.01], std: [0.05] }, distance: … }`).
 * Plain JSON; a QoS oracle hashes it to cache results.
 */
export type InjectionParams = Record<string, NnInjection>;
