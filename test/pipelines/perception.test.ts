import { describe, expect, it } from "vitest";
import { InputError, Random, parsePerceptionConfig, preprocessFrame, sampleRegressionError } from "../../index.ts";

describe("preprocessFrame", () => {
  it("turns RGB bytes into normalised planar NCHW floats", () => {
    // 2×1 image: pixel 0 = (255, 0, 51), pixel 1 = (0, 255, 102).
    const rgb = new Uint8Array([255, 0, 51, 0, 255, 102]);
    const x = preprocessFrame(rgb, 2, 1, { mean: [0.5, 0, 0.2], std: [0.5, 1, 0.1] });
    const expected = [(1 - 0.5) / 0.5, (0 - 0.5) / 0.5, 0, 1, (0.2 - 0.2) / 0.1, (0.4 - 0.2) / 0.1];
    expect(Array.from(x).map((v) => Number(v.toFixed(5)))).toEqual(expected.map((v) => Number(v.toFixed(5))));
  });
});

describe("sampleRegressionError", () => {
  const stats = (err: { bias: number; std: number; nu?: number }) => {
    const rng = new Random(11);
    const n = 40000;
    let s = 0;
    let s2 = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      const e = sampleRegressionError(err, rng);
      s += e;
      s2 += e * e;
      if (Math.abs(e - err.bias) > 4 * err.std) big++;
    }
    const mean = s / n;
    return { mean, std: Math.sqrt(s2 / n - mean * mean), tail: big / n };
  };

  it("has the configured bias and standard deviation, Gaussian or Student-t", () => {
    const g = stats({ bias: 0.1, std: 0.05 });
    expect(g.mean).toBeCloseTo(0.1, 2);
    expect(g.std).toBeCloseTo(0.05, 2);
    const t = stats({ bias: -0.2, std: 0.05, nu: 5 });
    expect(t.mean).toBeCloseTo(-0.2, 2);
    expect(Math.abs(t.std - 0.05)).toBeLessThan(0.005);
    // Heavy tails: far more 4σ excursions than a Gaussian's 0.006 %.
    expect(t.tail).toBeGreaterThan(20 * g.tail + 0.001);
  });

  it("is exactly the bias when std is 0", () => {
    expect(sampleRegressionError({ bias: 0.3, std: 0 }, new Random(1))).toBe(0.3);
  });
});

describe("parsePerceptionConfig", () => {
  it("fills defaults and rejects bad fields with their path", () => {
    const c = parsePerceptionConfig({ kind: "injected", heading: { std: 0.1 } });
    expect(c).toMatchObject({ kind: "injected", heading: { bias: 0, std: 0.1 }, distance: { bias: 0, std: 0 }, laneMask: "exact" });
    expect(() => parsePerceptionConfig({ kind: "injected", distance: { std: -1 } })).toThrow(/perception.distance.std: expected a number ≥ 0/);
    expect(() => parsePerceptionConfig({ kind: "injected", heading: { std: 1, nu: 2 } })).toThrow(/nu: expected a number > 2/);
    expect(() => parsePerceptionConfig({ kind: "onnx" })).toThrow(InputError);
    expect(() => parsePerceptionConfig({ kind: "injected", lane: { shiftPx: 1, blur: 3 } })).toThrow(/perception.lane/);
  });
});
