import type { LoopFidelity, QosOutcome, SeedSets } from "../../optimizer/index.ts";
import type { QosGoal } from "../qos/QosGoal.ts";

/** A combination as the evidence report names it. */
export interface EvidenceChoice {
  /** Combination id in the application's tuning report. */
  combination: number;
  /** Candidate ids, one per NN (`<nn>/<backbone>/<approximator>-<level>`). */
  candidates: string[];
  knobs: Record<string, number>;
  /** The objective's score (higher is better) and in words. */
  score: number;
  scoreText: string;
  /** Σ encoded model size (bytes). */
  sizeBytes: number;
}

/**
 * Chosen vs a baseline, from batch-1 one-thread latencies measured
 * **interleaved** per NN (`measureInterleaved`: the baseline's model and the
 * chosen one alternate in blocks, rounds rotating), median with the 10th–90th
 * percentile spread.
 */
export interface LatencyComparison {
  /** Pipeline FPS ratio (min-fps: the slowest NN's latency of the baseline ÷ the chosen's). */
  speedup: Spread;
  /** Utilization ratio, Σ latency × rate of the baseline ÷ the chosen's (rate: the fps knob, else the application's). */
  utilizationReduction: Spread;
  /** Σ encoded size of the baseline ÷ the chosen's. */
  sizeReduction: number;
  /** Per NN: baseline and chosen latency (ms) and the per-round speed-up. */
  byNn: Record<string, { baselineMs: number; chosenMs: number; speedup: Spread }>;
}

/** A median with its spread (10th–90th percentile; for pipeline ratios, the conservative bound from the NNs' spreads). */
export interface Spread {
  median: number;
  p10: number;
  p90: number;
}

/** Everything `evidence` found for one application. */
export interface ApplicationEvidence {
  application: string;
  /** The tuning configuration it ran. */
  config: string;
  objective: string;
  /** The QoS goal every verdict was judged against (the configuration's `target`, else the application's). */
  goal: QosGoal;
  /** The disjoint seed sets. */
  seeds: SeedSets;
  /** What each seed set ran on: the world preset or scenario distribution (a distribution draws a world per seed). */
  worlds: { calibration: string; tuning: string; verification: string[] };
  /** Candidates per NN and backbone (levels including the original). */
  candidates: { nn: string; backbone?: string; count: number }[];
  combinations: number;
  calibration: { source: "inline" | "file"; evaluations: number; pass: number; fail: number; classifiedFraction: number };
  guided: { qosRuns: number; verificationRuns: number; chosen?: EvidenceChoice; verification?: QosOutcome };
  /** The walk verifies a passing combination on the verification seeds as the guided search does, so its optimum holds to the same rule. */
  unguided: { qosRuns: number; verificationRuns: number; capped: boolean; optimum?: EvidenceChoice };
  /**
   * Closed-loop runs the verdicts of each phase rest on (a rate goal's sequential verdicts use a varying
   * number; a fixed goal's, its seeds). Calibration's is absent when the constraints came from a file.
   */
  closedLoopRuns: { calibration?: number; guided: number; guidedVerification: number; unguided: number; unguidedVerification: number };
  /** The guided choice is the unguided optimum. */
  guidedEqualsUnguided: boolean;
  /** (unguided optimum's score − guided choice's) ÷ |unguided's|: 0 when equal, > 0 when guided fell short. */
  objectiveGap?: number;
  agnostic: { reference?: string; tolerance: number; choice: EvidenceChoice; qos: QosOutcome };
  /** The agnostic choice at every tolerance tried, each verified. */
  agnosticVariants: { tolerance: number; choice: EvidenceChoice; qos: QosOutcome }[];
  /** The best agnostic variant that passed its verification (a practitioner's best pick), if any. */
  bestAgnostic?: { tolerance: number; choice: EvidenceChoice };
  /** Chosen vs the agnostic choice, and vs the best agnostic variant. */
  vsAgnostic?: LatencyComparison;
  vsBestAgnostic?: LatencyComparison;
  /** The chosen models on the verification seeds and worlds. */
  verification: { pass: boolean; runs: number; passedRuns: number; passRate: number };
  /** The calibration's predictions against every real-model QoS run (guided, verification, agnostic, unguided). */
  fidelity: LoopFidelity;
  /** The application's full tuning report (report.html beside it). */
  reportJson: string;
  seconds: { calibration: number; guided: number; unguided: number; latency: number; total: number };
}

/** `evidence/report.json`. */
export interface EvidenceReport {
  version: 1;
  applications: ApplicationEvidence[];
  /** Total wall time (s) and the machine it ran on. */
  seconds: number;
  machine: { cpus: number; loadAverage: number[]; node: string };
  /** The flat metrics of `--json` (see `evidenceMetrics`). */
  metrics: Record<string, number | boolean>;
}
