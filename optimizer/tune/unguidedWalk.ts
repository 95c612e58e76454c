import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { Combination } from "./Candidate.ts";
import type { CombinationEvaluator } from "./guidedSearch.ts";

/** Options of {@link unguidedWalk}. */
export interface UnguidedWalkOptions {
  /** QoS with the combination in the loop (the same seeds the guided search uses, for a fair count). */
  evaluate: CombinationEvaluator;
  /** Give up after this many QoS runs without a pass. @default Infinity */
  maxQosRuns?: number;
  /** Called after each QoS run. */
  onStep?: (step: UnguidedStep, done: number) => void;
}

/** One QoS run of the walk. */
export interface UnguidedStep {
  combination: Combination;
  qos: QosOutcome;
}

/** Result of {@link unguidedWalk}. */
export interface UnguidedWalkResult {
  /** The first combination, best objective first, whose QoS passes: the true optimum on these seeds. */
  optimum?: Combination;
  /** QoS runs made: what finding the optimum costs without calibration. */
  qosRuns: number;
  /** True when `maxQosRuns` ended the walk before a combination passed (`qosRuns` is then a lower bound). */
  capped: boolean;
  steps: UnguidedStep[];
}

/**
 * Tuning without calibration, the baseline guided tuning is measured
 * against: walk the combinations from the best objective score down (ties by
 * enumeration order, as {@link guidedSearch} walks them) and run the QoS on
 * each until one passes. An uncertain verdict is not a pass.
 */
export async function unguidedWalk(combinations: readonly Combination[], options: UnguidedWalkOptions): Promise<UnguidedWalkResult> {
  const order = [...combinations].sort((a, b) => b.score - a.score || a.id - b.id);
  const max = options.maxQosRuns ?? Infinity;
  const steps: UnguidedStep[] = [];
  for (const combination of order) {
    if (steps.length >= max) return { qosRuns: steps.length, capped: true, steps };
    const qos = await options.evaluate(combination);
    steps.push({ combination, qos });
    options.onStep?.({ combination, qos }, steps.length);
    if (qos.pass && !qos.uncertain) return { optimum: combination, qosRuns: steps.length, capped: false, steps };
  }
  return { qosRuns: steps.length, capped: false, steps };
}
