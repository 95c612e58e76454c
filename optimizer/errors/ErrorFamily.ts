import type { LANE_STRUCTURE_TERMS } from "./laneMaskErrorStats.ts";
import type { PolynomialFitJSON } from "./PolynomialFit.ts";

/** One measured point of a regression error family: the error statistics at one metric level. */
export interface RegressionMeasurement {
  level: number;
  bias: number[];
  std: number[];
}

/**
 * How a regression NN's error changes with its metric level: for each output,
 * bias and standard deviation as fitted functions of the level.
 */
export interface RegressionErrorFamily {
  kind: "regression";
  /** The metric that defines the level (e.g. `l1Error`), when known. */
  metric?: string;
  /** Range of measured levels [min, max]. */
  levelRange: [number, number];
  outputs: { name: string; bias: PolynomialFitJSON; std: PolynomialFitJSON }[];
  /** The measurements the fits went through. */
  measured: RegressionMeasurement[];
}

/** One measured point of a lane-mask error family. */
export interface LaneMaskMeasurement {
  level: number;
  dropRate: number;
  falsePositiveRate: number;
  shiftPx: number;
  shiftStdPx: number;
  lossRate?: number;
  farDropRate?: number;
  dilatePx?: number;
  blobsPerFrame?: number;
  blobRadiusPx?: number;
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
