/**
 * Repeated measurements, summarised: the median of one metric's values, and each metric of a benchmark's
 * flat metrics object over several runs of it (median, min and max per key), so a benchmark reports what a
 * fresh run gives with its spread rather than one run.
 */
import { check } from "../errors.ts";

/** Median (the mean of the middle two for an even count). @throws InputError when there is no value. */
export function median(xs: ArrayLike<number>): number {
  check(xs.length > 0, "median", () => "expected at least one value");
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One metric over repeated runs. */
export interface RunSpread {
  median: number;
  min: number;
  max: number;
  /** How many runs reported the metric. */
  runs: number;
}

/** The median, min and max of one metric's repeated values. @throws InputError when there is no value. */
export function spreadOf(xs: ArrayLike<number>): RunSpread {
  const values = Array.from(xs);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Each key of the runs' flat metrics over the runs that report it, in first-seen key order. A boolean
 * counts as 1 when true, so its median says what most runs gave and min/max whether every run agreed.
 */
export function runSpread(runs: readonly Readonly<Record<string, number | boolean>>[]): Map<string, RunSpread> {
  const values = new Map<string, number[]>();
  for (const run of runs)
    for (const [key, v] of Object.entries(run)) {
      const list = values.get(key) ?? [];
      list.push(typeof v === "boolean" ? Number(v) : v);
      values.set(key, list);
    }
  const spread = new Map<string, RunSpread>();
  for (const [key, xs] of values) spread.set(key, spreadOf(xs));
  return spread;
}

/** The flat metrics object of repeated runs: each key's median under its own name, its range as `<key>.min`, `<key>.max`. */
export function spreadMetrics(spread: ReadonlyMap<string, RunSpread>): Record<string, number> {
  const m: Record<string, number> = {};
  for (const [key, s] of spread) {
    m[key] = s.median;
    m[`${key}.min`] = s.min;
    m[`${key}.max`] = s.max;
  }
  return m;
}
