import { check, InputError } from "../../common/index.ts";
import type { RunSummary } from "./RunSummary.ts";

/**
 * A QoS goal. A seed passes when every stated bound holds; the configuration
 * passes when at least `minPassFraction` of its seeds pass (default: all).
 *
 * @example { collisions: 0 }                      // no collision on any seed, and every run completes
 * @example { collisions: 1, minPassFraction: 0.8 } // ≤ 1 collision on at least 80 % of the seeds
 */
export interface QosGoal {
  /** Most collisions allowed in one run. @default 0 */
  collisions?: number;
  /** Require reaching the row/route end (a robot stuck without touching anything does not pass). @default true */
  completed?: boolean;
  /** Largest cross-track RMS (m) allowed. */
  crossTrackRms?: number;
  /** Largest absolute cross-track error (m) allowed. */
  crossTrackMax?: number;
  /** Largest heading RMS (rad) allowed. */
  headingRms?: number;
  /** Fraction of seeds that must pass, in (0, 1]. @default 1 */
  minPassFraction?: number;
}

/** Does one run meet the goal? */
export function seedPasses(s: RunSummary, goal: QosGoal): boolean {
  if (s.collisions > (goal.collisions ?? 0)) return false;
  if ((goal.completed ?? true) && !s.completed) return false;
  if (goal.crossTrackRms !== undefined && !(s.crossTrackRms <= goal.crossTrackRms)) return false;
  if (goal.crossTrackMax !== undefined && !(s.crossTrackMax <= goal.crossTrackMax)) return false;
  if (goal.headingRms !== undefined && !(s.headingRms <= goal.headingRms)) return false;
  return true;
}

/** Does a configuration whose seeds passed `passedSeeds` of `seeds` times meet the goal (its `minPassFraction`)? */
export function configurationPasses(passedSeeds: number, seeds: number, goal: QosGoal): boolean {
  return passedSeeds >= Math.ceil((goal.minPassFraction ?? 1) * seeds - 1e-9);
}

/**
 * Checks a goal's fields.
 * @throws InputError naming `goal.<field>` on an unknown field or a value out of range.
 */
export function checkQosGoal(goal: QosGoal): void {
  for (const [k, v] of Object.entries(goal)) {
    if (k === "completed") {
      check(typeof v === "boolean", `goal.${k}`, () => `expected true or false, got ${String(v)}`);
    } else if (["collisions", "crossTrackRms", "crossTrackMax", "headingRms"].includes(k)) {
      check(typeof v === "number" && v >= 0, `goal.${k}`, () => `expected a number ≥ 0, got ${String(v)}`);
    } else if (k === "minPassFraction") {
      check(typeof v === "number" && v > 0 && v <= 1, `goal.${k}`, () => `expected a number in (0, 1], got ${String(v)}`);
    } else {
      throw new InputError(`goal.${k}`, "unknown goal field; expected collisions, completed, crossTrackRms, crossTrackMax, headingRms or minPassFraction");
    }
  }
}
