import { check, InputError, stableHash } from "../../common/index.ts";
import type { ErrorDistribution } from "../errors/ErrorDistribution.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import type { CalibrationAxis } from "./CalibrationAxis.ts";
import type { ProgressListener } from "./CalibrationProgress.ts";
import { Constraints } from "./Constraints.ts";
import { EvaluationLog } from "./EvaluationLog.ts";
import type { QosOracle } from "./QosOracle.ts";
import { searchBoundary, type SearchReport } from "./searchBoundary.ts";

/** An application setting searched as a calibration axis (see {@link ErrorCalibrateOptions.knobs}). */
export interface KnobAxis {
  name: string;
  /** Value the application tolerates best (unit coordinate 0). */
  best: number;
  /** Value it tolerates worst (unit coordinate 1). */
  worst: number;
}

/** Options of {@link errorCalibrate}. */
export interface ErrorCalibrateOptions {
  /** QoS evaluation budget (cached replays count, so a resumed run stops where the original would). @default 25 */
  iters?: number;
  /** Resolution as a fraction of each axis' range (see {@link searchBoundary}). @default 0.05 */
  precision?: number;
  /** Simulation seeds per evaluation: a count K (seeds 0…K−1) or the list. @default 3 */
  seeds?: number | number[];
  /** Worker threads the oracle may use per evaluation. @default 1 */
  workers?: number;
  /** JSONL checkpoint: read back on start, appended after every evaluation. @default none (in-memory cache only) */
  checkpoint?: string;
  /**
   * Searched range `[best, worst]` per metric, in metric units. @default the
   * range of levels measured for the NN's error family
   */
  bounds?: (readonly [number, number] | undefined)[];
  /**
   * Application knobs searched as extra axes after the metrics, e.g. the
   * GEM's perception rate `{ name: "fps", best: 20, worst: 5 }`: `best` is the
   * setting the application likes most. Each evaluation passes the knob values
   * to the oracle (`options.knobs`). The search starts with one probe per knob:
   * its worst setting with every metric at its best. @default none
   */
  knobs?: readonly KnobAxis[];
  /** Called after every evaluation. */
  onProgress?: ProgressListener;
  /** Called once with what the search did (evaluations, whether the budget ran out). */
  onReport?: (report: SearchReport) => void;
}

/**
 * Phase 1 of ApproxCaliper: how much NN error does the application tolerate?
 *
 * Searches the space of metric budgets — one axis per metric, each metric on
 * its own NN — for the boundary between QoS pass and fail. At each budget
 * point the error distribution gives the injection that reproduces those
 * metric levels, and `qos` runs the closed loop with it. Every evaluation is
 * cached by the hash of (oracle id, injection, seeds) and appended to the
 * checkpoint, so a killed run resumes without repeating or losing any.
 *
 * @example
 * const constraints = await errorCalibrate(nns, errorDist, metrics, qos, { iters: 25, checkpoint: "out/evaluations.jsonl" });
 * constraints.classify([0.1, 0.05]); // "valid" | "invalid" | "uncertain"
 */
export async function errorCalibrate(
  nns: readonly ModelRunner[],
  errorDist: ErrorDistribution,
  metrics: readonly ErrorMetric[],
  qos: QosOracle,
  options: ErrorCalibrateOptions = {},
): Promise<Constraints> {
  check(metrics.length > 0, "errorCalibrate", () => "needs at least one metric");
  const names = new Set(nns.map((n) => n.name));
  const used = new Set<string>();
  const axes: CalibrationAxis[] = metrics.map((metric, i) => {
    const nn = metric.model.name;
    check(names.has(nn), `metric ${metric.name}`, () => `its model "${nn}" is not among the NNs (${[...names].join(", ")})`);
    check(!used.has(nn), `metric ${metric.name}`, () => `NN "${nn}" already has a metric; the error family is indexed by one metric per NN`);
    used.add(nn);
    const family = errorDist.family(nn);
    if (family.metric !== undefined && family.metric !== metric.metricName) {
      throw new InputError(`metric ${metric.name}`, `the error family of "${nn}" is indexed by ${family.metric}, not ${metric.metricName}`);
    }
    const bounds = options.bounds?.[i];
    const [lo, hi] = family.levelRange;
    const [best, worst] = bounds ?? (metric.direction === "lower-better" ? [lo, hi] : [hi, lo]);
    check(
      best !== worst,
      `metric ${metric.name}`,
      () => `the error family of "${nn}" was measured at a single level (${lo}); give bounds: [best, worst]`,
    );
    return { name: metric.name, direction: metric.direction, best, worst };
  });
  for (const knob of options.knobs ?? []) {
    check(!axes.some((a) => a.name === knob.name), `knob ${knob.name}`, () => "has the name of a metric axis");
    check(
      Number.isFinite(knob.best) && Number.isFinite(knob.worst) && knob.best !== knob.worst,
      `knob ${knob.name}`,
      () => `best and worst must be finite and differ, got ${knob.best}, ${knob.worst}`,
    );
    axes.push({ name: knob.name, direction: knob.worst > knob.best ? "lower-better" : "higher-better", best: knob.best, worst: knob.worst });
  }
  const seedsOption = options.seeds ?? 3;
  const seeds = typeof seedsOption === "number" ? Array.from({ length: seedsOption }, (_, k) => k) : seedsOption.slice();
  check(seeds.length > 0 && seeds.every(Number.isInteger), "seeds", () => `must be a positive count or a list of integers`);
  const workers = options.workers ?? 1;
  check(Number.isInteger(workers) && workers >= 1, "workers", () => `must be a positive integer, got ${workers}`);
  const log = EvaluationLog.open(options.checkpoint);
  const constraints = new Constraints(axes);
  const report = await searchBoundary(
    constraints,
    async (point) => {
      const levels: Record<string, number> = {};
      metrics.forEach((m, i) => (levels[m.model.name] = point[i]));
      const knobs: Record<string, number> = {};
      (options.knobs ?? []).forEach((k, j) => (knobs[k.name] = point[metrics.length + j]));
      const injection = errorDist.injectionAt(levels);
      const hasKnobs = metrics.length < point.length;
      const key = stableHash(hasKnobs ? { oracle: qos.id ?? null, injection, knobs, seeds } : { oracle: qos.id ?? null, injection, seeds });
      const cached = log.get(key);
      if (cached) return { pass: cached.pass, hash: cached.hash, cached: true };
      const outcome = await qos.evaluate(injection, hasKnobs ? { seeds, workers, knobs } : { seeds, workers });
      log.append({
        key,
        point,
        pass: outcome.pass,
        ...(outcome.uncertain ? { uncertain: true } : {}),
        hash: outcome.hash,
        ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
      });
      return { pass: outcome.pass, hash: outcome.hash };
    },
    {
      iters: options.iters ?? 25,
      precision: options.precision,
      onProgress: options.onProgress,
      // Each knob's worst setting with perfect networks first: if even that fails, no network makes the
      // setting work, which the diagonal bisection (metrics and knobs degrading together) finds late or never.
      probes: (options.knobs ?? []).map((_, j) => axes.map((_, i) => (i === metrics.length + j ? 1 : 0))),
    },
  );
  options.onReport?.(report);
  return constraints;
}
