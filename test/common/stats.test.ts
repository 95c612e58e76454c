import { describe, expect, it } from "vitest";
import { Random } from "../../common/index.ts";
import { binomialUpperTail, rateLowerBound, rateUpperBound } from "../../common/stats/binomialBounds.ts";
import { SequentialRateTest } from "../../common/stats/SequentialRateTest.ts";

describe("Clopper–Pearson bounds", () => {
  it("match the textbook interval (5 of 10 at 95 % two-sided is [0.1871, 0.8129])", () => {
    expect(rateLowerBound(5, 10, 0.975)).toBeCloseTo(0.1871, 4);
    expect(rateUpperBound(5, 10, 0.975)).toBeCloseTo(0.8129, 4);
  });

  it("follow the rule of three: 59 clean runs show ≥ 95 % at 95 % confidence, 58 do not", () => {
    expect(rateLowerBound(59, 59, 0.95)).toBeGreaterThanOrEqual(0.95);
    expect(rateLowerBound(58, 58, 0.95)).toBeLessThan(0.95);
    expect(rateLowerBound(0, 20, 0.95)).toBe(0);
    expect(rateUpperBound(20, 20, 0.95)).toBe(1);
  });

  it("are the exact tail inverses", () => {
    const lo = rateLowerBound(37, 40, 0.9);
    expect(binomialUpperTail(37, 40, lo)).toBeCloseTo(0.1, 9);
    const hi = rateUpperBound(37, 40, 0.9);
    expect(1 - binomialUpperTail(38, 40, hi)).toBeCloseTo(0.1, 9);
  });

  it("reject impossible counts", () => {
    expect(() => rateLowerBound(5, 4, 0.95)).toThrow(/successes/);
    expect(() => rateUpperBound(1, 4, 1)).toThrow(/confidence/);
  });
});

describe("SequentialRateTest against a 0.95 goal at 95 % confidence", () => {
  const VERDICTS = 2000;
  function simulate(p: number, seed: number): { pass: number; fail: number; uncertain: number; runs: number } {
    const rng = new Random(seed);
    const out = { pass: 0, fail: 0, uncertain: 0, runs: 0 };
    for (let i = 0; i < VERDICTS; i++) {
      const t = new SequentialRateTest({ rate: 0.95, confidence: 0.95 });
      while (!t.observe(rng.uniform(0, 1) < p));
      const v = t.verdict();
      out[v.decision]++;
      out.runs += v.runs;
    }
    return { pass: out.pass / VERDICTS, fail: out.fail / VERDICTS, uncertain: out.uncertain / VERDICTS, runs: out.runs / VERDICTS };
  }
  const fixed = SequentialRateTest.fixedSampleSize({ rate: 0.95, confidence: 0.95, failBelow: 0.9, passAbove: 0.97 });

  // 2,000 verdicts estimate an error rate of 0.05 to ±0.005 (one standard error): allow two.
  it("passes a 0.90 configuration at most 5 % of the time, in fewer runs than a fixed test", () => {
    const r = simulate(0.9, 1);
    expect(r.pass).toBeLessThanOrEqual(0.05 + 0.01);
    expect(r.runs).toBeLessThan(fixed);
  });

  it("fails a 0.97 configuration at most 5 % of the time (uncertain counted as not passing)", () => {
    const r = simulate(0.97, 2);
    expect(r.fail + r.uncertain).toBeLessThanOrEqual(0.05 + 0.01);
    expect(r.runs).toBeLessThan(fixed);
  });

  it("passes a 0.99 configuration almost always, in well under half the fixed test's runs", () => {
    const r = simulate(0.99, 3);
    expect(r.pass).toBeGreaterThanOrEqual(0.99);
    expect(r.runs).toBeLessThan(fixed / 2);
  });

  it("fails a clearly bad configuration within a few runs", () => {
    const r = simulate(0.5, 4);
    expect(r.fail).toBe(1);
    expect(r.runs).toBeLessThan(10);
  });

  it("defaults to the indifference zone 0.90–0.97 and needs 129 runs for it at a fixed size", () => {
    const t = new SequentialRateTest({ rate: 0.95 });
    expect(t.failBelow).toBeCloseTo(0.9, 12);
    expect(t.passAbove).toBeCloseTo(0.97, 12);
    expect(fixed).toBe(129);
    expect(t.maxRuns).toBe(3 * fixed);
  });

  it("reports uncertain, never pass, when the cap comes before a decision", () => {
    const t = new SequentialRateTest({ rate: 0.95, maxRuns: 20 });
    let d: string | undefined;
    for (let i = 0; i < 20 && !d; i++) d = t.observe(i !== 7);
    const v = t.verdict();
    expect(v.runs).toBe(20);
    expect(v.decision).toBe("uncertain");
    expect(v.rateLower).toBeLessThan(0.95);
    expect(v.rateUpper).toBeGreaterThan(0.95);
  });

  it("judges too few runs by the exact bounds alone", () => {
    const t = new SequentialRateTest({ rate: 0.95 });
    for (let i = 0; i < 10; i++) t.observe(true);
    expect(t.decision).toBeUndefined();
    expect(t.verdict().decision).toBe("uncertain");
    const bad = new SequentialRateTest({ rate: 0.95, maxRuns: 1000 });
    for (let i = 0; i < 3; i++) bad.observe(false);
    expect(bad.verdict().decision).toBe("fail");
  });

  it("ignores outcomes after its decision, so verdicts do not depend on how many runs were in flight", () => {
    const t = new SequentialRateTest({ rate: 0.95 });
    let i = 0;
    while (!t.observe(true)) i++;
    t.observe(false);
    t.observe(false);
    expect(t.verdict()).toMatchObject({ decision: "pass", runs: i + 1, successes: i + 1 });
  });

  it("rejects an empty or inverted indifference zone", () => {
    expect(() => new SequentialRateTest({ rate: 1 })).toThrow(/rate/);
    expect(() => new SequentialRateTest({ rate: 0.95, failBelow: 0.96 })).toThrow(/indifference/);
  });
});
