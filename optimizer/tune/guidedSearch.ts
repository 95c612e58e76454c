import type { Classification, Constraints } from "../calibrate/Constraints.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { Combination } from "./Candidate.ts";

/** Runs the closed loop with a combination's real NNs (and knob values) in place. */
export type CombinationEvaluator = (combination: Combination) => Promise<QosOutcome>;

/** Options of {@link guidedSearch}. */
export interface GuidedSearchOptions {
  /** QoS with the combination in the loop, on the calibration's seeds. */
  evaluate: CombinationEvaluator;
  /** Final check of the chosen combination on fresh seeds. @default none (the choice is not re-verified) */
  verify?: CombinationEvaluator;
  /** Stop running QoS after this many runs (the best valid so far is chosen). @default Infinity */
  maxQosRuns?: number;
  /**
   * Feed real-model failures (QoS and verification) back into the constraints, so every combination at
   * least as bad in every metric is invalid without a run: the paper's method, which assumes the metrics
   * rank the networks' QoS. Turn it off where they do not (the GEM's lane recall ranks a DarkNet LaneNet
   * level that passes below one that fails): the walk then runs every uncertain combination it reaches.
   * Passes are always fed back. @default true
   */
  failureFeedback?: boolean;
  /** Called after each decision, for progress bars. */
  onStep?: (step: GuidedStep) => void;
}

/** What the search did with one combination. */
export interface GuidedStep {
  combination: Combination;
  /** Dominance class when the search reached it (before any QoS run for it). */
  classification: Classification;
  /** QoS outcome when a run was needed. */
  qos?: QosOutcome;
  /** Fresh-seed verification, for a combination the search chose. */
  verification?: QosOutcome;
}

/** Result of {@link guidedSearch}. */
export interface GuidedSearchResult {
  /** The best combination that is valid and passed verification; undefined if none. */
  chosen?: Combination;
  chosenVerification?: QosOutcome;
  /** Every step in the order taken. */
  steps: GuidedStep[];
  /** Final classification of every combination, by id, after all feedback. */
  finalClassification: Classification[];
  /** QoS runs made for uncertain combinations (verification runs not included). */
  qosRuns: number;
  verificationRuns: number;
}

/**
 * Guided tuning (ApproxCaliper phase 2): walk the combinations from the best
 * objective score down. A combination dominated by a known-pass point is
 * valid and needs no simulator run; one dominating a known-fail point is
 * skipped without a run; only uncertain ones run the QoS, and their outcomes
 * are fed back into `constraints` (failures only with `failureFeedback`, the
 * default) so later combinations benefit. The first valid (or passing)
 * combination is the best by construction; it is then verified on fresh
 * seeds, and a failed verification is recorded as a failure (with
 * `failureFeedback`) and the walk goes on.
 *
 * `constraints` is updated in place.
 */
export async function guidedSearch(
  combinations: readonly Combination[],
  constraints: Constraints,
  options: GuidedSearchOptions,
): Promise<GuidedSearchResult> {
  const order = [...combinations].sort((a, b) => b.score - a.score || a.id - b.id);
  const maxRuns = options.maxQosRuns ?? Infinity;
  const feedFailures = options.failureFeedback ?? true;
  const feedBack = (c: Combination, outcome: QosOutcome) => {
    if (outcome.pass || feedFailures) constraints.add(c.point, outcome.pass, outcome.hash);
  };
  const steps: GuidedStep[] = [];
  let qosRuns = 0;
  let verificationRuns = 0;
  let chosen: Combination | undefined;
  let chosenVerification: QosOutcome | undefined;

  for (const combination of order) {
    const classification = constraints.classify(combination.point);
    const step: GuidedStep = { combination, classification };
    steps.push(step);
    let pass = classification === "valid";
    if (classification === "uncertain") {
      if (qosRuns >= maxRuns) {
        options.onStep?.(step);
        continue;
      }
      step.qos = await options.evaluate(combination);
      qosRuns++;
      feedBack(combination, step.qos);
      pass = step.qos.pass;
    }
    if (pass && options.verify) {
      step.verification = await options.verify(combination);
      verificationRuns++;
      if (!step.verification.pass) {
        feedBack(combination, step.verification);
        pass = false;
      }
    }
    options.onStep?.(step);
    if (pass) {
      chosen = combination;
      chosenVerification = step.verification;
      break;
    }
  }

  const finalClassification = combinations.map((c) => constraints.classify(c.point));
  return { chosen, chosenVerification, steps, finalClassification, qosRuns, verificationRuns };
}
