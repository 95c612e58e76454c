import type { LaneMaskErrorParams } from "./laneMaskErrorStats.ts";

/**
 * Gaussian error added to a regression NN's outputs: output `k` gets
 * `bias[k] + std[k]·z`, z ~ N(0, 1), in the output's units.
 */
export interface GaussianInjection {
  kind: "gaussian";
  bias: number[];
  std: number[];
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
