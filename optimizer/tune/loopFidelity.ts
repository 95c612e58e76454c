import type { Classification } from "../calibrate/Constraints.ts";
import { outcomeRuns, type QosOutcome } from "../calibrate/QosOracle.ts";
import { fidelityConfusion, predictedVerdict, type FidelityConfusion, type Verdict } from "./fidelityConfusion.ts";

/** One combination run with real models in the loop, against what the calibration predicted for it. */
export interface LoopFidelityPoint {
  /** Combination id. */
  combination: number;
  /** What the run was for (`search`, `verification`, `agnostic`, `unguided`, …). */
  role: string;
  /** Class of its point under the constraints as calibrated (before any real outcome was fed back). */
  predicted: Classification;
  /** The closed loop with the real models. */
  real: Verdict;
  /** Runs the real verdict rests on, and how many met the goal, when the oracle reports them. */
  runs?: number;
  passedRuns?: number;
}

/**
 * Calibration fidelity from the real-model QoS runs a tuning made anyway
 * (no extra runs): how often the calibration's constraints, as calibrated,
 * classified a combination the way the closed loop with the real networks
 * then judged it. Only decided predictions (valid/invalid) can agree;
 * `predictedPassRealFail` is the dangerous cell. For the full per-level
 * measure with injected errors see `calibrationFidelity`.
 */
export interface LoopFidelity {
  /** Real-model runs compared (one per distinct combination and role). */
  points: LoopFidelityPoint[];
  /** Runs whose combination the calibration classified (valid or invalid). */
  decided: number;
  /** Share of decided runs whose real verdict matches (valid ↔ pass, invalid ↔ fail); 1 when none was decided. */
  agreement: number;
  /** Counts by (prediction, real verdict); `uncertain`: runs on combinations the calibration left uncertain. */
  confusion: FidelityConfusion;
}

const verdictOf = (o: QosOutcome): Verdict => (o.uncertain ? "uncertain" : o.pass ? "pass" : "fail");

/** One real-model run as a {@link LoopFidelityPoint}, with the runs behind its verdict when the outcome's detail has them. */
export function loopFidelityPoint(run: {
  combination: number;
  role: string;
  predicted: Classification;
  outcome: QosOutcome;
}): LoopFidelityPoint {
  const runs = outcomeRuns(run.outcome);
  return {
    combination: run.combination,
    role: run.role,
    predicted: run.predicted,
    real: verdictOf(run.outcome),
    ...runs,
  };
}

/** {@link LoopFidelity} of points already judged (e.g. a tuning report's, with more runs added). */
export function summarizeLoopFidelity(points: LoopFidelityPoint[]): LoopFidelity {
  const confusion = fidelityConfusion(points.map((p) => ({ predicted: predictedVerdict(p.predicted), real: p.real })));
  const decided = points.length - confusion.uncertain;
  const agree = confusion.predictedPassRealPass + confusion.predictedFailRealFail;
  return { points, decided, agreement: decided > 0 ? agree / decided : 1, confusion };
}

/** {@link LoopFidelity} of `runs`: real outcomes with the calibrated class of each combination. */
export function loopFidelity(
  runs: readonly { combination: number; role: string; predicted: Classification; outcome: QosOutcome }[],
): LoopFidelity {
  return summarizeLoopFidelity(runs.map(loopFidelityPoint));
}
