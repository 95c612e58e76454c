import type { InjectionParams } from "../errors/InjectionParams.ts";

/** Options of one QoS evaluation. */
export interface QosEvaluateOptions {
  /** Simulation seeds to run; the evaluation passes only if the QoS goal holds over them (the oracle decides how). */
  seeds: number[];
  /** Worker threads the oracle may use for the seeds. @default 1 */
  workers?: number;
  /** Application knob values at this point (e.g. `{ fps: 10 }`), when the calibration searches knobs too. */
  knobs?: Record<string, number>;
}

/** Outcome of one QoS evaluation. */
export interface QosOutcome {
  /** Whether the QoS goal held. False when the oracle could not decide (see `uncertain`). */
  pass: boolean;
  /**
   * The oracle ran out of runs before its statistical test decided. The outcome then counts as a fail
   * (`pass` is false): the search never marks budgets valid on an undecided point, at the price of
   * possibly calling some valid budgets invalid. @default false
   */
  uncertain?: boolean;
  /** Stable hash of what was evaluated (configuration, injection, seeds), for provenance. */
  hash: string;
  /** Anything worth keeping (per-seed collisions, errors…); must be JSON-serializable. */
  detail?: unknown;
}

/**
 * The runs an outcome's verdict rests on and how many met the goal, when its `detail` reports them
 * (`runs` with `passedRuns` or `passedSeeds`, as the pipelines' QoS oracles and verifications write them).
 */
export function outcomeRuns(outcome: Pick<QosOutcome, "detail"> | undefined): { runs: number; passedRuns: number } | undefined {
  const d = outcome?.detail as { runs?: unknown; passedRuns?: unknown; passedSeeds?: unknown } | undefined;
  const passed = d?.passedRuns ?? d?.passedSeeds;
  return typeof d?.runs === "number" && typeof passed === "number" ? { runs: d.runs, passedRuns: passed } : undefined;
}

/**
 * The application as the optimizer sees it: run the closed loop with the
 * given error injection and report whether the QoS goal holds. The pipelines'
 * `QosEvaluator` is adapted to this.
 */
export interface QosOracle {
  /**
   * Identity of the application configuration (pipeline, world, QoS goal…).
   * Mixed into cache keys so outcomes cached for one configuration are never
   * reused for another. @default none
   */
  readonly id?: string;
  evaluate(injection: InjectionParams, options: QosEvaluateOptions): Promise<QosOutcome>;
}
