import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { Combination } from "./Candidate.ts";
import type { CombinationEvaluator } from "./guidedSearch.ts";

/** Options of {@link unguidedWalk}. */
export interface UnguidedWalkOptions {
  /** QoS with the combination in the loop (the same seeds the guided search uses, for a fair count). */
  evaluate: CombinationEvaluator;
  /**
   * Fresh-seed verification of a combination whose QoS passes, as the guided
   * search verifies its choice: a failed verification continues the walk, so
   * the optimum is held to the same rule as the guided choice. Without it the
   * first pass on the tuning seeds is the optimum.
   */
  verify?: CombinationEvaluator;
  /** Give up after this many QoS runs without a pass (verification runs not counted). @default Infinity */
  maxQosRuns?: number;
  /** Called after each QoS run. */
  onStep?: (step: UnguidedStep, done: number) => void;
}

/** One QoS run of the walk. */
export interface UnguidedStep {
  combination: Combination;
  qos: QosOutcome;
  /** Present when the QoS passed and `verify` was given. */
  verification?: QosOutcome;
}

/** Result of {@link unguidedWalk}. */
export interface UnguidedWalkResult {
  /** The first combination, best objective first, whose QoS passes (and verification, with `verify`): the true optimum on these seeds. */
  optimum?: Combination;
  /** QoS runs made: what finding the optimum costs without calibration. */
  qosRuns: number;
  /** Verifications made (0 without `verify`). */
  verificationRuns: number;
  /** True when `maxQosRuns` ended the walk before a combination passed (`qosRuns` is then a lower bound). */
  capped: boolean;
  steps: UnguidedStep[];
}

/**
 * Tuning without calibration, the baseline guided tuning is measured
 * against: walk the combinations from the best objective score down (ties by
 * enumeration order, as {@link guidedSearch} walks them) and run the QoS on
 * each until one passes (and passes `verify`, when given). An uncertain
 * verdict is not a pass.
 */
export async function unguidedWalk(combinations: readonly Combination[], options: UnguidedWalkOptions): Promise<UnguidedWalkResult> {
  const order = [...combinations].sort((a, b) => b.score - a.score || a.id - b.id);
  const max = options.maxQosRuns ?? Infinity;
  const steps: UnguidedStep[] = [];
  let verificationRuns = 0;
  const passes = (o: QosOutcome) => o.pass && !o.uncertain;
  for (const combination of order) {
    if (steps.length >= max) return { qosRuns: steps.length, verificationRuns, capped: true, steps };
    const step: UnguidedStep = { combination, qos: await options.evaluate(combination) };
    if (passes(step.qos) && options.verify) {
      step.verification = await options.verify(combination);
      verificationRuns++;
    }
    steps.push(step);
    options.onStep?.(step, steps.length);
    if (passes(step.qos) && (!step.verification || passes(step.verification)))
      return { optimum: combination, qosRuns: steps.length, verificationRuns, capped: false, steps };
  }
  return { qosRuns: steps.length, verificationRuns, capped: false, steps };
}
