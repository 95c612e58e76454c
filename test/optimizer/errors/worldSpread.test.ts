import { describe, expect, it } from "vitest";
import {
  ErrorDistribution,
  findErrorDistribution,
  groupMetrics,
  InputError,
  structuredErrorStats,
  Random,
  worldRatios,
  worldSpreadOf,
  type ErrorSample,
} from "../../../index.ts";

const l1 = (p: Float32Array, l: Float32Array, n: number) => p.reduce((a, x, i) => a + Math.abs(x - l[i]), 0) / n;

/** `worlds` worlds of `perWorld` samples; world w's errors are ±scale[w] (so its L1 is scale[w]). */
function sample(level: number, scales: number[], perWorld = 20, rng = new Random(1)): ErrorSample & { groups: Int32Array } {
  const n = scales.length * perWorld;
  const labels = new Float32Array(n);
  const predictions = new Float32Array(n);
  const groups = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const w = i % scales.length;
    groups[i] = w;
    labels[i] = rng.next();
    predictions[i] = labels[i] + (rng.next() < 0.5 ? -1 : 1) * scales[w] * level;
  }
  return { nn: "distance", level, predictions, labels, groups, groupLevels: groupMetrics(l1, predictions, labels, groups) };
}

describe("world spread", () => {
  it("measures the metric in each group of samples", () => {
    const s = sample(0.1, [0.5, 1, 1.5]);
    expect(s.groupLevels!.map((v) => +v.toFixed(5))).toEqual([0.05, 0.1, 0.15]);
    // Rows of two values are gathered per group (this `l1` sums a row's values).
    const two = groupMetrics(l1, Float32Array.of(1, 1, 5, 5), Float32Array.of(0, 0, 0, 0), [1, 0]);
    expect(two).toEqual([10, 2]);
    // Any statistic of a group's rows, not only a number: here each group's error fit.
    const fits = groupMetrics(
      (p, l) => structuredErrorStats(p, l, 1),
      Float32Array.of(0.1, 0.3, 0.5, 0.5, 0.5, 0.5),
      Float32Array.of(0, 0.2, 0.4, 0.1, 0.3, 0.5),
      [0, 0, 0, 1, 1, 1],
    );
    expect(fits[0].gain[0]).toBeCloseTo(0, 6);
    expect(fits[0].bias[0]).toBeCloseTo(0.1, 6);
    // The second world's predictions ignore the truth: gain −1 (a network blind in that world).
    expect(fits[1].gain[0]).toBeCloseTo(-1, 6);
  });

  it("is the spread of the log ratio of each world's metric to the pooled one", () => {
    expect(worldSpreadOf([0.1, 0.1, 0.1], 0.1)).toBe(0);
    const s = worldSpreadOf([0.05, 0.2], 0.1);
    expect(s).toBeCloseTo((2 * Math.log(2)) / Math.SQRT2, 10);
    expect(() => worldSpreadOf([0.1], 0.1)).toThrow(InputError);
    expect(() => groupMetrics(l1, Float32Array.of(1, 2), Float32Array.of(0, 0), [0, 2])).toThrow(/group 1 has no samples/);
  });

  it("gives ten kinds of world that average 1 and spread as asked", () => {
    expect(worldRatios(0)).toEqual(Array(10).fill(1));
    const r = worldRatios(0.3);
    expect(r).toHaveLength(10);
    expect(r.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(1, 12);
    const logs = r.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / 10;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 9);
    // The slice midpoints of N(0,1) spread a little less than 1 (the tails are cut): within 10 %.
    expect(sd).toBeGreaterThan(0.27);
    expect(sd).toBeLessThan(0.3);
    expect(r[9] / r[0]).toBeCloseTo(Math.exp(0.3 * 2 * 1.6449), 3);
  });

  it("fits a family term over the levels, and injects one alternative per kind of world at the scaled level", () => {
    // Deeper levels err more unevenly across worlds: spread grows with the level.
    const samples = [0.02, 0.04, 0.06, 0.08].map((level, i) => sample(level, [1 - 0.1 * i, 1, 1 + 0.1 * i], 40, new Random(i + 2)));
    const dist = findErrorDistribution.fromSamples(samples, { regressionModel: "gaussian", degree: 1 });
    const family = dist.family("distance");
    if (family.kind !== "regression") throw new Error("expected a regression family");
    for (const [i, m] of family.measured.entries())
      expect(m.worldSpread).toBeCloseTo(worldSpreadOf(samples[i].groupLevels!, samples[i].level), 12);
    expect(family.worldSpread!.coefficients[1]).toBeGreaterThan(0);
    const at = 0.05;
    const injection = dist.injectionFor("distance", at);
    if (injection.kind !== "gaussian") throw new Error("expected a regression injection");
    expect(injection.perRun).toHaveLength(10);
    const spread = new ErrorDistribution({ distance: { ...family, worldSpread: undefined } });
    const ratios = worldRatios(family.worldSpread!.coefficients[0] + family.worldSpread!.coefficients[1] * at);
    ratios.forEach((r, k) => {
      const plain = spread.injectionFor("distance", at * r);
      if (plain.kind !== "gaussian") throw new Error("expected a regression injection");
      expect(injection.perRun![k].std[0]).toBeCloseTo(plain.std[0], 12);
      expect(injection.perRun![k].bias[0]).toBeCloseTo(plain.bias[0], 12);
    });
    // The average world's terms are the pooled level's.
    expect(injection.std[0]).toBeCloseTo((spread.injectionFor("distance", at) as { std: number[] }).std[0], 12);
    // JSON keeps the term; a family without it injects the same errors in every run.
    expect(ErrorDistribution.fromJSON(JSON.parse(JSON.stringify(dist.toJSON()))).injectionFor("distance", at)).toEqual(injection);
    expect((spread.injectionFor("distance", at) as { perRun?: unknown }).perRun).toBeUndefined();
  });

  it("fits no term when some measurement has no world groups", () => {
    const samples = [sample(0.02, [1, 1.2]), { ...sample(0.04, [1, 1.2]), groupLevels: undefined }];
    const family = findErrorDistribution.fromSamples(samples).family("distance");
    expect(family.kind === "regression" && family.worldSpread).toBeFalsy();
  });

  it("places a network by the level whose errors are as large in the hardest tenth of worlds", () => {
    const samples = [0.02, 0.04, 0.06, 0.08].map((level, i) => sample(level, [1 - 0.1 * i, 1, 1 + 0.1 * i], 40, new Random(i + 2)));
    const dist = findErrorDistribution.fromSamples(samples, { degree: 1 });
    const family = dist.family("distance");
    if (family.kind !== "regression" || !family.worldSpread) throw new Error("expected a world spread");
    const s = (x: number) => family.worldSpread!.coefficients[0] + family.worldSpread!.coefficients[1] * x;
    const hardest = (spread: number) => worldRatios(spread)[9];
    // A network as uneven as the family's levels at its metric sits at its metric.
    expect(dist.worldEquivalentLevel("distance", 0.05, s(0.05))).toBeCloseTo(0.05, 9);
    // A more uneven one sits deeper, a more even one shallower, where the hardest worlds' metrics match.
    const deeper = dist.worldEquivalentLevel("distance", 0.05, s(0.05) + 0.1);
    const shallower = dist.worldEquivalentLevel("distance", 0.05, 0);
    expect(deeper).toBeGreaterThan(0.05);
    expect(shallower).toBeLessThan(0.05);
    expect(deeper * hardest(s(deeper))).toBeCloseTo(0.05 * hardest(s(0.05) + 0.1), 9);
    expect(shallower * hardest(s(shallower))).toBeCloseTo(0.05, 9);
    // Without a world spread term the level is the metric; an unknown network is named.
    const plain = findErrorDistribution.fromSamples(samples.map((x) => ({ ...x, groupLevels: undefined })));
    expect(plain.worldEquivalentLevel("distance", 0.05, 0.4)).toBe(0.05);
    expect([dist.hasWorldSpread("distance"), plain.hasWorldSpread("distance"), dist.hasWorldSpread("heading")]).toEqual([true, false, false]);
    expect(() => plain.worldEquivalentLevel("heading", 0.05, 0.4)).toThrow(/no error family for NN "heading"/);
  });
});
