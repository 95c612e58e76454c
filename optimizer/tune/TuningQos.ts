import { stableHash } from "../../common/index.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { Combination } from "./Candidate.ts";

/**
 * The application with real models in the loop, as guided tuning sees it.
 * The pipelines' `ApplicationQos` (`CropFollowQoS`, `GemQoS`, …) provides this.
 */
export interface TuningQos {
  /** Identity of the application configuration, recorded in the report. */
  readonly id?: string;
  /** Runs the closed loop with the given ONNX files (by NN name) and knob values (e.g. `fps`). */
  evaluateModels(models: Readonly<Record<string, string>>, options: { seeds: number[]; knobs?: Record<string, number> }): Promise<QosOutcome>;
}

/**
 * QoS of a combination on some seeds, each (models, knobs, seeds) evaluated
 * once: the search, the verification and the agnostic baseline may ask for
 * the same one. Candidates must have been written to their `file`.
 */
export function combinationQos(qos: TuningQos): (combination: Combination, seeds: number[]) => Promise<QosOutcome> {
  const cache = new Map<string, Promise<QosOutcome>>();
  return (combination, seeds) => {
    const models: Record<string, string> = {};
    for (const c of combination.candidates) models[c.nn] = c.file!;
    const key = stableHash({ models, knobs: combination.knobs, seeds });
    let outcome = cache.get(key);
    if (!outcome) {
      outcome = qos.evaluateModels(models, { seeds, knobs: combination.knobs });
      cache.set(key, outcome);
    }
    return outcome;
  };
}
