import { check } from "../../common/index.ts";
import { BoxQueue } from "./BoxQueue.ts";
import { fromUnit } from "./CalibrationAxis.ts";
import type { ProgressListener } from "./CalibrationProgress.ts";
import type { Constraints } from "./Constraints.ts";

/** Outcome of evaluating one budget point. */
export interface PointOutcome {
  pass: boolean;
  hash?: string;
  /** Whether the outcome was replayed from a cache (affects only the ETA). */
  cached?: boolean;
}

/** Evaluates the QoS goal at a budget point (metric units, axis order). */
export type PointEvaluator = (point: number[]) => Promise<PointOutcome>;

/** Options of {@link searchBoundary}. */
export interface SearchBoundaryOptions {
  /** Evaluation budget. */
  iters: number;
  /**
   * Resolution, as a fraction of every axis' range: boxes whose sides are all
   * shorter stay uncertain, and diagonal bisection stops at this gap. @default 0.05
   */
  precision?: number;
  onProgress?: ProgressListener;
  /**
   * Unit points (0 = best, 1 = worst per axis) evaluated first, in order, unless dominance already
   * classifies them: corners the diagonal bisection reaches late or never, such as a knob's worst
   * setting with every metric at its best (whether that setting can meet the goal at all). @default none
   */
  probes?: readonly (readonly number[])[];
  /** Clock for the ETA (ms). @default performance.now */
  now?: () => number;
}

/** What a search did. */
export interface SearchReport {
  /** Evaluations spent (including cached replays). */
  evaluations: number;
  /** True when the budget ran out with unknown boxes above the precision left. */
  budgetExhausted: boolean;
  /** Unknown boxes above the precision still queued (0 when the search converged). */
  openBoxes: number;
}

/**
 * N-dimensional pass/fail boundary search over the budget box, assuming
 * monotonicity (more error never helps). Works in unit coordinates (0 = best,
 * 1 = worst on every axis) and records every outcome in `constraints`.
 *
 * The unknown region is kept as a queue of boxes, largest volume first. For a
 * box [lo, hi]: if `hi` is known to pass or `lo` to fail, the whole box is
 * known. Otherwise bisect along its diagonal lo + t(hi − lo) until the last
 * passing `p` and first failing `f` are less than `precision` apart; then
 * [lo, p] passes, [f, hi] fails, and the rest is covered by the 2^d − 2
 * boxes that are high (from p) on a proper subset of axes and low (up to f)
 * on the others, plus the gap box [p, f] below the precision. Axes on which
 * a box is already thinner than the precision are held at their middle and
 * not split further (the box is searched in the remaining axes), so thin
 * slivers along the faces do not eat the budget; the uncertainty they leave
 * is under the precision on that axis. Points already classified by
 * dominance are never evaluated, so evaluations are consistent with each
 * other and every one shrinks the unknown region.
 *
 * The search is deterministic given the outcomes, which is what lets a
 * checkpoint replay a killed run exactly.
 */
export async function searchBoundary(constraints: Constraints, evaluate: PointEvaluator, options: SearchBoundaryOptions): Promise<SearchReport> {
  const d = constraints.dims;
  const iters = options.iters;
  const precision = options.precision ?? 0.05;
  check(Number.isInteger(iters) && iters >= 0, "iters", () => `must be a non-negative integer, got ${iters}`);
  check(precision > 0 && precision < 1, "precision", () => `must be in (0, 1) (a fraction of each axis range), got ${precision}`);
  check(d <= 12, "axes", () => `${d} axes: the box split makes 2^d sub-boxes; at most 12 axes are supported`);
  const now = options.now ?? (() => performance.now());
  let evaluations = 0;
  let freshCount = 0;
  let freshMs = 0;
  const queue = new BoxQueue();
  const push = (lo: number[], hi: number[]): void => {
    let maxSide = 0;
    let volume = 1;
    for (let i = 0; i < d; i++) {
      const side = hi[i] - lo[i];
      maxSide = Math.max(maxSide, side);
      volume *= side;
    }
    // Boxes under the precision stay uncertain; flat ones hold no volume to classify.
    if (maxSide < precision || volume <= 0) return;
    queue.push(lo, hi, volume);
  };
  /** Outcome at unit point `u`: by dominance when known, else evaluated; undefined when out of budget. */
  const status = async (u: number[]): Promise<boolean | undefined> => {
    // Classify the point as it will be stored (metric units), so a point
    // already evaluated is recognised despite unit ↔ metric rounding.
    const point = u.map((v, i) => fromUnit(constraints.axes[i], v));
    const known = constraints.classify(point);
    if (known !== "uncertain") return known === "valid";
    if (evaluations >= iters) return undefined;
    const started = now();
    const outcome = await evaluate(point);
    evaluations++;
    if (!outcome.cached) {
      freshCount++;
      freshMs += now() - started;
    }
    constraints.add(point, outcome.pass, outcome.hash);
    options.onProgress?.({
      done: evaluations,
      total: iters,
      etaSeconds: freshCount > 0 ? ((iters - evaluations) * freshMs) / freshCount / 1000 : undefined,
      point,
      pass: outcome.pass,
      cached: outcome.cached ?? false,
    });
    return outcome.pass;
  };

  for (const [k, probe] of (options.probes ?? []).entries())
    check(
      probe.length === d && probe.every((v) => v >= 0 && v <= 1),
      `probes[${k}]`,
      () => `expected ${d} unit coordinates in [0, 1], got [${probe.join(", ")}]`,
    );
  for (const probe of options.probes ?? [])
    if ((await status([...probe])) === undefined) return { evaluations, budgetExhausted: true, openBoxes: 1 };

  push(new Array(d).fill(0), new Array(d).fill(1));
  let openBoxes = 0;
  search: while (queue.size > 0) {
    const { lo, hi } = queue.pop()!;
    // Axes thinner than the precision are settled: hold them at their middle
    // and search only the wide ones, so slivers do not eat the budget.
    const wide: number[] = [];
    let maxSide = 0;
    for (let i = 0; i < d; i++) {
      const side = hi[i] - lo[i];
      if (side >= precision) wide.push(i);
      maxSide = Math.max(maxSide, side);
    }
    const at = (t: number) => lo.map((v, i) => (hi[i] - v >= precision ? v + t * (hi[i] - v) : (v + hi[i]) / 2));
    if (constraints.classifyUnit(at(1)) === "valid" || constraints.classifyUnit(at(0)) === "invalid") continue;
    let a = 0;
    let b = 1;
    let passFound = false;
    let failFound = false;
    while ((b - a) * maxSide >= precision) {
      const t = (a + b) / 2;
      const pass = await status(at(t));
      if (pass === undefined) {
        // Out of budget inside this box: it stays open with the queue.
        openBoxes = queue.size + 1;
        break search;
      }
      if (pass) {
        a = t;
        passFound = true;
      } else {
        b = t;
        failFound = true;
      }
    }
    // The bisection never bracketed from one side: settle that end.
    for (const [found, t] of [
      [passFound, 0],
      [failFound, 1],
    ] as const) {
      if (found) continue;
      const pass = await status(at(t));
      if (pass === undefined) {
        openBoxes = queue.size + 1;
        break search;
      }
      if (t === 0 && !pass) continue search; // the least-error end fails: the box fails
      if (t === 1 && pass) continue search; // the most-error end passes: the box passes
    }
    const p = at(a);
    const f = at(b);
    // Sub-box for every proper, non-empty subset S of the wide axes: high
    // (from p) on S, low (up to f) on the other wide axes, whole on thin ones.
    const subsets = 2 ** wide.length;
    for (let mask = 1; mask < subsets - 1; mask++) {
      const sLo = lo.slice();
      const sHi = hi.slice();
      wide.forEach((axis, k) => {
        if (mask & (1 << k)) sLo[axis] = p[axis];
        else sHi[axis] = f[axis];
      });
      push(sLo, sHi);
    }
  }
  return { evaluations, budgetExhausted: openBoxes > 0, openBoxes };
}
