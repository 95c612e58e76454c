import type { ErrorDistribution } from "../errors/ErrorDistribution.ts";
import type { Model } from "../onnx/ir.ts";

/**
 * One measured version of one NN: the original (level 0) or an
 * approximation level. Everything here is cheap to measure (no simulator).
 */
export interface Candidate {
  /** The NN this replaces, e.g. `heading`. */
  nn: string;
  /**
   * The architecture (one of the NN's candidate models) this version derives
   * from, e.g. `darknet`, when the NN has several; absent when it has one.
   */
  backbone?: string;
  /** `original`, or the approximator's name (e.g. `prune`). */
  approximator: string;
  /** 0 for the original (of its backbone), then 1 … nSteps. */
  level: number;
  /** Fraction removed (channels or rank); 0 for the original. */
  fraction: number;
  /** The model itself (absent once written out, e.g. in a report). */
  model?: Model;
  /** Error-metric values on the dataset, by calibration-axis name (e.g. `heading.l1Error`). */
  metrics: Record<string, number>;
  /**
   * Where the candidate sits on the calibrated axes when that differs from `metrics`: with world
   * equivalence (see `WorldEquivalence`), its world-equivalent levels. The budget point of a combination
   * reads these first. @default `metrics`
   */
  budget?: Record<string, number>;
  /** With world equivalence: how much each metric varies between the dataset's worlds (`worldSpreadOf`). */
  worldSpread?: Record<string, number>;
  /** Median batch-1 latency on one thread (ms). */
  latencyMs: number;
  /** 2×MACs of Conv/ConvTranspose/Gemm/MatMul. */
  flops: number;
  params: number;
  /** Size of the encoded ONNX file (bytes). */
  sizeBytes: number;
  /** Where the model was written (so QoS workers can load it by path), once written. */
  file?: string;
}

/**
 * Placing candidates on a calibration with world spreads: the world (group 0…G−1) of each dataset
 * sample, and the calibration's error families. Each candidate's metric is also measured per world, and
 * its budget coordinate is the family's world-equivalent level (`ErrorDistribution.worldEquivalentLevel`).
 */
export interface WorldEquivalence {
  groups: ArrayLike<number>;
  errors: ErrorDistribution;
}

/**
 * A choice of one candidate per NN plus a value for each application knob
 * (e.g. the GEM's perception rate). `point` is its metric-budget point in
 * the constraints' axis order.
 */
export interface Combination {
  /** Index in the enumeration order (stable id in reports). */
  id: number;
  candidates: Candidate[];
  /** Knob values by name, e.g. `{ fps: 10 }`. */
  knobs: Record<string, number>;
  point: number[];
  /** The objective's score: higher is better. */
  score: number;
}
