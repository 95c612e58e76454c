import type { LANE_STRUCTURE_TERMS, LaneMaskErrorParams } from "./laneMaskErrorStats.ts";
import type { PolynomialFitJSON } from "./PolynomialFit.ts";

/**
 * How a regression family models the error of each output:
 * - `gaussian`: `bias + N(0, std²)`, independent per frame.
 * - `structured`: `bias + gain·(truth − center) + noise`, the noise of spread
 *   `std + stdSlope·|truth − center|`, Student-t with tail weight `tail`
 *   (= 1/ν; 0 = Gaussian) and, when closed-loop sequences were measured,
 *   correlated in time with `correlationTime` (s) and shifted for each whole run by an offset of
 *   spread `runOffset` (a bias that differs from run to run). Views far from the centre
 *   are harder (a robot kept near the row centre by its controller sees the
 *   easy ones); `std` is the noise's spread at the centre. Pruned CNNs lose the signal
 *   before they get noisy (a distance network near L1 0.095 outputs nearly a
 *   constant: gain ≈ −1), which independent Gaussian noise of the same L1 does
 *   not reproduce: the closed loop averages noise away but not a lost signal.
 */
export const REGRESSION_ERROR_MODELS = ["gaussian", "structured"] as const;
/** See {@link REGRESSION_ERROR_MODELS}. */
export type RegressionErrorModel = (typeof REGRESSION_ERROR_MODELS)[number];

/** One measured point of a regression error family: the error statistics at one metric level. */
export interface RegressionMeasurement {
  level: number;
  bias: number[];
  /** Spread of the error (`gaussian`) or of the noise left after bias and gain (`structured`). */
  std: number[];
  /** Structured: slope of the error against the truth, per output. */
  gain?: number[];
  /** Structured: the truth's mean, per output. */
  center?: number[];
  /** Structured: growth of the noise's spread per unit of |truth − center|, per output. */
  stdSlope?: number[];
  /** Structured: tail weight 1/ν of the noise, per output. */
  tail?: number[];
  /** Structured, with closed-loop sequences: correlation time of the noise (s), per output. */
  correlationTime?: number[];
  /** Structured, with closed-loop sequences: spread of an offset held for a whole run, per output. */
  runOffset?: number[];
  /** With world groups: the spread of the metric from world to world (`worldSpreadOf`). */
  worldSpread?: number;
}

/** The structured terms fitted against the metric level (see {@link REGRESSION_ERROR_MODELS}). */
export const REGRESSION_STRUCTURE_TERMS = ["gain", "stdSlope", "tail", "correlationTime", "runOffset"] as const;

/** One output of a regression family: its terms as fitted functions of the metric level. */
export interface RegressionOutputFit extends Partial<Record<(typeof REGRESSION_STRUCTURE_TERMS)[number], PolynomialFitJSON>> {
  name: string;
  bias: PolynomialFitJSON;
  std: PolynomialFitJSON;
  /** Structured: the value the gain term turns about (the truth's mean over the measurements). */
  center?: number;
}

/**
 * How a regression NN's error changes with its metric level: for each output,
 * bias and standard deviation (and, for the `structured` model, gain, tail
 * weight and correlation time) as fitted functions of the level.
 */
export interface RegressionErrorFamily {
  kind: "regression";
  /** @default "gaussian" (families written before the structured model existed) */
  model?: RegressionErrorModel;
  /** The metric that defines the level (e.g. `l1Error`), when known. */
  metric?: string;
  /** Range of measured levels [min, max]. */
  levelRange: [number, number];
  outputs: RegressionOutputFit[];
  /**
   * Fitted when every measurement has a world spread: how much the metric varies from world to world,
   * against the level. The injection at a level then draws, per run, one of ten kinds of world at that
   * spread (`worldRatios`) and injects the errors of the level scaled by its ratio: a network whose error
   * grows in some worlds fails as often as such worlds come up, which errors at the pooled level do not.
   */
  worldSpread?: PolynomialFitJSON;
  /** The measurements the fits went through. */
  measured: RegressionMeasurement[];
}

/** One measured point of a lane-mask error family: the parameters measured at one level. */
export interface LaneMaskMeasurement extends LaneMaskErrorParams {
  level: number;
}

/**
 * How a lane-mask NN's error model parameters change with its metric level. The structured terms
 * (`lossRate`, `farDropRate`, …) are absent in families fitted before they existed and in the
 * closed-form ones: absent means 0.
 */
export interface LaneMaskErrorFamily extends Partial<Record<(typeof LANE_STRUCTURE_TERMS)[number], PolynomialFitJSON>> {
  kind: "lane-mask";
  metric?: string;
  levelRange: [number, number];
  /** Mask size [H, W] the pixel parameters refer to. */
  shape: [number, number];
  dropRate: PolynomialFitJSON;
  falsePositiveRate: PolynomialFitJSON;
  shiftPx: PolynomialFitJSON;
  shiftStdPx: PolynomialFitJSON;
  measured: LaneMaskMeasurement[];
}

/** An NN's error family, indexed by its metric level. Plain JSON. */
export type ErrorFamily = RegressionErrorFamily | LaneMaskErrorFamily;
