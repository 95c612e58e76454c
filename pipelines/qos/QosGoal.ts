import { check, InputError, SequentialRateTest } from "../../common/index.ts";
import type { RunSummary } from "./RunSummary.ts";

/**
 * A QoS goal. A run passes when every stated per-run bound holds. The
 * configuration passes either
 * - on a fixed set of seeds: when at least `minPassFraction` of them pass
 *   (default: all), or
 * - as a rate with confidence (`passRate`): when the runs show, by a
 *   sequential test with early stopping (see `SequentialRateTest`), that at
 *   least `passRate` of all runs pass, at `confidence`. Such a verdict may
 *   also be "uncertain" (undecided at `maxRuns`), which never counts as a pass.
 *
 * @example { collisions: 0 }                      // no collision on any seed, and every run completes
 * @example { collisions: 1, minPassFraction: 0.8 } // ≤ 1 collision on at least 80 % of the seeds
 * @example { collisions: 0, passRate: 0.95, confidence: 0.95 } // collision-free on ≥ 95 % of runs, 95 % confidence
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
  /** Required rate of passing runs, in (0, 1): turns the verdict into a sequential statistical test. */
  passRate?: number;
  /** Confidence of a `passRate` verdict, in (0.5, 1). @default 0.95 */
  confidence?: number;
  /** Most runs one `passRate` verdict may use. @default 3 × the runs of the equivalent fixed-size test (387 at 0.95/0.95) */
  maxRuns?: number;
}

/** Rate goals, and only they, are judged sequentially. */
export function isRateGoal(goal: QosGoal): goal is QosGoal & { passRate: number } {
  return goal.passRate !== undefined;
}

/** The sequential test a rate goal is judged by (a fresh one per verdict). */
export function rateTestOf(goal: QosGoal & { passRate: number }): SequentialRateTest {
  return new SequentialRateTest({ rate: goal.passRate, confidence: goal.confidence ?? 0.95, maxRuns: goal.maxRuns });
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
    } else if (k === "passRate") {
      check(typeof v === "number" && v > 0 && v < 1, `goal.${k}`, () => `expected a number in (0, 1), got ${String(v)}`);
    } else if (k === "confidence") {
      check(typeof v === "number" && v > 0.5 && v < 1, `goal.${k}`, () => `expected a number in (0.5, 1), got ${String(v)}`);
    } else if (k === "maxRuns") {
      check(
        typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 100_000,
        `goal.${k}`,
        () => `expected an integer in [1, 100000], got ${String(v)}`,
      );
    } else {
      throw new InputError(
        `goal.${k}`,
        "unknown goal field; expected collisions, completed, crossTrackRms, crossTrackMax, headingRms, minPassFraction, passRate, confidence or maxRuns",
      );
    }
  }
  if (goal.passRate === undefined) {
    for (const k of ["confidence", "maxRuns"] as const) {
      check(goal[k] === undefined, `goal.${k}`, () => "applies to a rate goal only: set goal.passRate too");
    }
  } else {
    check(
      goal.minPassFraction === undefined,
      "goal.minPassFraction",
      () => "a goal has either minPassFraction (fixed seeds) or passRate (a rate with confidence), not both",
    );
  }
}
