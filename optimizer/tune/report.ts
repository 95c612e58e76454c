import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import type { Classification, Constraints, ConstraintsJSON } from "../calibrate/Constraints.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { Candidate, Combination } from "./Candidate.ts";
import type { GuidedSearchResult } from "./guidedSearch.ts";
import type { Objective } from "./Objective.ts";
import type { Comparison } from "./compare.ts";
import type { LoopFidelity } from "./loopFidelity.ts";

/** Wall time of each phase of `optimize` (s). */
export interface PhaseTimings {
  measureSeconds: number;
  searchSeconds: number;
  agnosticSeconds: number;
  writeSeconds: number;
}

/**
 * One candidate as the report lists it: the {@link Candidate} without its in-memory model, plus a stable
 * `id`, `<nn>/<approximator>-<level>` or `<nn>/<backbone>/<approximator>-<level>` when the NN has backbones.
 */
export type CandidateRecord = Omit<Candidate, "model"> & { id: string };

/** One combination as the report lists it. */
export interface CombinationRecord {
  id: number;
  /** Candidate ids, one per NN. */
  candidates: string[];
  knobs: Record<string, number>;
  point: number[];
  score: number;
  /** Whether the search walked to it (it stops at the first passing one). */
  reached: boolean;
  /** Class when the search reached it; for unreached ones, the final class. */
  classification: Classification;
  /** Class after all QoS feedback. */
  finalClassification: Classification;
  /** A QoS run was needed (uncertain when reached). */
  qosNeeded: boolean;
  qos?: QosOutcome;
  verification?: QosOutcome;
}

/** A combination summarized for the chosen / original / agnostic lines. */
export interface CombinationSummary {
  combination: number;
  candidates: string[];
  knobs: Record<string, number>;
  score: number;
  scoreText: string;
  latencyMs: Record<string, number>;
  sizeBytes: number;
}

/** The `report.json` written by `optimize`. */
export interface OptimizeReport {
  version: 1;
  objective: string;
  qosId?: string;
  axes: CalibrationAxis[];
  /** Tuning seeds (the guided search's QoS runs). */
  seeds: number[];
  /** Verification seeds (the choice and the agnostic baselines), disjoint from the others. */
  verifySeeds: number[];
  /** Seeds the constraints were calibrated on, when known. */
  calibrationSeeds?: number[];
  /** What each seed set ran on (world preset or scenario distribution), when given. */
  worlds?: { calibration?: string; tuning?: string; verification?: string };
  candidates: CandidateRecord[];
  combinations: CombinationRecord[];
  totals: {
    candidates: number;
    combinations: number;
    /** QoS runs an exhaustive search over the same combinations needs (one per combination). */
    exhaustiveQosRuns: number;
    /** QoS runs the guided search made on uncertain combinations. */
    qosRuns: number;
    /** Fresh-seed verification runs. */
    verificationRuns: number;
    /** Combinations decided without a QoS run (classified, or never reached). */
    skipped: number;
    /** qosRuns / combinations. */
    qosRunFraction: number;
    /** Final classes of all combinations. */
    valid: number;
    invalid: number;
    uncertain: number;
  };
  original: CombinationSummary;
  chosen?: CombinationSummary & { verification?: QosOutcome; files: Record<string, string> };
  agnostic: CombinationSummary & { qos: QosOutcome; reference?: string; tolerance: number };
  /** The agnostic choice at every tolerance tried (the main one first), each verified. */
  agnosticVariants: (CombinationSummary & { tolerance: number; qos: QosOutcome })[];
  /** The calibration's predictions against the real-model runs this tuning made (see {@link LoopFidelity}). */
  fidelity: LoopFidelity;
  comparison: {
    chosenVsOriginal?: Comparison;
    chosenVsAgnostic?: Comparison;
    agnosticVsOriginal: Comparison;
  };
  /** The constraints after the search's feedback. */
  constraints: ConstraintsJSON;
  timings: PhaseTimings;
}

/** Everything {@link buildReport} summarizes. */
export interface ReportInput {
  objective: Objective;
  qosId?: string;
  constraints: Constraints;
  seeds: number[];
  verifySeeds: number[];
  calibrationSeeds?: number[];
  worlds?: OptimizeReport["worlds"];
  candidates: Candidate[][];
  combinations: Combination[];
  search: GuidedSearchResult;
  original: Combination;
  agnostic: { combination: Combination; qos: QosOutcome };
  agnosticSettings: { reference?: string; tolerance: number };
  agnosticVariants: { tolerance: number; combination: Combination; qos: QosOutcome }[];
  fidelity: LoopFidelity;
  files: Record<string, string>;
  chosenVsOriginal?: Comparison;
  chosenVsAgnostic?: Comparison;
  agnosticVsOriginal: Comparison;
  timings: PhaseTimings;
}

/** Candidate id used across the report. */
export function candidateId(c: Candidate): string {
  return `${c.nn}/${c.backbone !== undefined ? `${c.backbone}/` : ""}${c.approximator}-${c.level}`;
}

/** The JSON report of one `optimize` run (plain data, ready for `JSON.stringify`). */
export function buildReport(input: ReportInput): OptimizeReport {
  const { search, objective } = input;
  const stepById = new Map(search.steps.map((s) => [s.combination.id, s]));
  const combinations: CombinationRecord[] = input.combinations.map((c) => {
    const step = stepById.get(c.id);
    const final = search.finalClassification[c.id];
    return {
      id: c.id,
      candidates: c.candidates.map(candidateId),
      knobs: { ...c.knobs },
      point: c.point.slice(),
      score: c.score,
      reached: step !== undefined,
      classification: step?.classification ?? final,
      finalClassification: final,
      qosNeeded: step?.classification === "uncertain",
      ...(step?.qos ? { qos: step.qos } : {}),
      ...(step?.verification ? { verification: step.verification } : {}),
    };
  });
  const count = (cls: Classification) => search.finalClassification.filter((x) => x === cls).length;
  const summary = (c: Combination): CombinationSummary => ({
    combination: c.id,
    candidates: c.candidates.map(candidateId),
    knobs: { ...c.knobs },
    score: c.score,
    scoreText: objective.describe(c.score),
    latencyMs: Object.fromEntries(c.candidates.map((x) => [x.nn, x.latencyMs])),
    sizeBytes: c.candidates.reduce((s, x) => s + x.sizeBytes, 0),
  });
  const n = input.combinations.length;
  return {
    version: 1,
    objective: objective.name,
    ...(input.qosId !== undefined ? { qosId: input.qosId } : {}),
    axes: input.constraints.axes.map((a) => ({ ...a })),
    seeds: input.seeds,
    verifySeeds: input.verifySeeds,
    ...(input.calibrationSeeds ? { calibrationSeeds: input.calibrationSeeds } : {}),
    ...(input.worlds ? { worlds: { ...input.worlds } } : {}),
    candidates: input.candidates.flat().map((c) => ({
      id: candidateId(c),
      nn: c.nn,
      ...(c.backbone !== undefined ? { backbone: c.backbone } : {}),
      approximator: c.approximator,
      level: c.level,
      fraction: c.fraction,
      metrics: { ...c.metrics },
      ...(c.budget ? { budget: { ...c.budget } } : {}),
      ...(c.worldSpread ? { worldSpread: { ...c.worldSpread } } : {}),
      latencyMs: c.latencyMs,
      flops: c.flops,
      params: c.params,
      sizeBytes: c.sizeBytes,
      ...(c.file !== undefined ? { file: c.file } : {}),
    })),
    combinations,
    totals: {
      candidates: input.candidates.reduce((s, l) => s + l.length, 0),
      combinations: n,
      exhaustiveQosRuns: n,
      qosRuns: search.qosRuns,
      verificationRuns: search.verificationRuns,
      skipped: n - search.qosRuns,
      qosRunFraction: n > 0 ? search.qosRuns / n : 0,
      valid: count("valid"),
      invalid: count("invalid"),
      uncertain: count("uncertain"),
    },
    original: summary(input.original),
    ...(search.chosen
      ? {
          chosen: {
            ...summary(search.chosen),
            ...(search.chosenVerification ? { verification: search.chosenVerification } : {}),
            files: { ...input.files },
          },
        }
      : {}),
    agnostic: {
      ...summary(input.agnostic.combination),
      qos: input.agnostic.qos,
      ...(input.agnosticSettings.reference !== undefined ? { reference: input.agnosticSettings.reference } : {}),
      tolerance: input.agnosticSettings.tolerance,
    },
    agnosticVariants: input.agnosticVariants.map((v) => ({ ...summary(v.combination), tolerance: v.tolerance, qos: v.qos })),
    fidelity: input.fidelity,
    comparison: {
      ...(input.chosenVsOriginal ? { chosenVsOriginal: input.chosenVsOriginal } : {}),
      ...(input.chosenVsAgnostic ? { chosenVsAgnostic: input.chosenVsAgnostic } : {}),
      agnosticVsOriginal: input.agnosticVsOriginal,
    },
    constraints: input.constraints.toJSON(),
    timings: { ...input.timings },
  };
}
