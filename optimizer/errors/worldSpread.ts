import { check } from "../../common/index.ts";

/**
 * Midpoints of the ten equal-probability slices of N(0, 1) (its 5th, 15th, …, 95th percentiles): the
 * standard scores of ten equally likely kinds of world.
 */
const WORLD_SCORES = [-1.6449, -1.0364, -0.6745, -0.3853, -0.1257, 0.1257, 0.3853, 0.6745, 1.0364, 1.6449];

/**
 * The metric of a model's predictions within each group of samples (each world a dataset was rendered
 * in), in group order: `fn` on the rows of each group. `fn` may return any statistic of the rows (an
 * error fit, say), not only a number.
 *
 * @param predictions N×width, sample-major; `labels` the same layout.
 * @param groups group index (0…G−1) of each of the N samples.
 */
export function groupMetrics<T = number>(
  fn: (predictions: Float32Array, labels: Float32Array, count: number) => T,
  predictions: Float32Array,
  labels: Float32Array,
  groups: ArrayLike<number>,
): T[] {
  const n = groups.length;
  check(
    n > 0 && predictions.length % n === 0 && labels.length % n === 0,
    "world groups",
    () => `${n} group indices for ${predictions.length} predictions and ${labels.length} labels`,
  );
  const pw = predictions.length / n;
  const lw = labels.length / n;
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    check(Number.isInteger(g) && g >= 0, "world groups", () => `sample ${i} has group ${g}, expected an integer ≥ 0`);
    (members[g] ??= []).push(i);
  }
  return Array.from(members, (rows, g) => {
    check(rows !== undefined, "world groups", () => `group ${g} has no samples (groups must be numbered 0…G−1)`);
    const p = new Float32Array(rows.length * pw);
    const l = new Float32Array(rows.length * lw);
    rows.forEach((i, r) => {
      p.set(predictions.subarray(i * pw, (i + 1) * pw), r * pw);
      l.set(labels.subarray(i * lw, (i + 1) * lw), r * lw);
    });
    return fn(p, l, rows.length);
  });
}

/**
 * How much a model's metric varies from world to world: the standard deviation of
 * `log(metric in a world / metric over all worlds)`. 0 for a model equally good everywhere.
 */
export function worldSpreadOf(perWorld: readonly number[], pooled: number): number {
  check(perWorld.length >= 2, "world spread", () => `needs at least 2 worlds, got ${perWorld.length}`);
  check(pooled > 0, "world spread", () => `needs a metric > 0 over all worlds, got ${pooled}`);
  const logs = perWorld.map((m) => Math.log(Math.max(m, pooled * 1e-3) / pooled));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
}

/**
 * The metric ratios of ten equally likely kinds of world for a model whose log metric spreads by
 * `spread` (lognormal; see {@link worldSpreadOf}), scaled to average 1 so that the pooled metric stays
 * the mean: a run drawing one of them meets a world as much harder or easier than average.
 */
export function worldRatios(spread: number): number[] {
  check(Number.isFinite(spread) && spread >= 0, "world spread", () => `expected a finite number ≥ 0, got ${spread}`);
  const raw = WORLD_SCORES.map((z) => Math.exp(spread * z));
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((r) => r / mean);
}
