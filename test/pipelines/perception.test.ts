import { describe, expect, it } from "vitest";
import {
  InputError,
  Random,
  RegressionErrorProcess,
  RegressionErrorSchema,
  parsePerceptionConfig,
  preprocessFrame,
  type RegressionErrorInput,
} from "../../index.ts";

describe("preprocessFrame", () => {
  it("turns RGB bytes into normalised planar NCHW floats", () => {
    // 2×1 image: pixel 0 = (255, 0, 51), pixel 1 = (0, 255, 102).
    const rgb = new Uint8Array([255, 0, 51, 0, 255, 102]);
    const x = preprocessFrame(rgb, 2, 1, { mean: [0.5, 0, 0.2], std: [0.5, 1, 0.1] });
    const expected = [(1 - 0.5) / 0.5, (0 - 0.5) / 0.5, 0, 1, (0.2 - 0.2) / 0.1, (0.4 - 0.2) / 0.1];
    expect(Array.from(x).map((v) => Number(v.toFixed(5)))).toEqual(expected.map((v) => Number(v.toFixed(5))));
  });
});

describe("RegressionErrorProcess", () => {
  const error = (e: RegressionErrorInput) => RegressionErrorSchema.parse(e);
  /** n frames 0.1 s apart at truth 0.5. */
  const draw = (e: RegressionErrorInput, seed = 11, n = 40000, truth = (_i: number) => 0.5) => {
    const p = new RegressionErrorProcess(error(e));
    const rng = new Random(seed);
    return Array.from({ length: n }, (_, i) => p.sample(truth(i), i * 0.1, rng));
  };
  const stats = (xs: number[], bias: number, std: number) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    let lag = 0;
    for (let i = 1; i < xs.length; i++) lag += (xs[i] - mean) * (xs[i - 1] - mean);
    return { mean, std: sd, tail: xs.filter((x) => Math.abs(x - bias) > 4 * std).length / xs.length, ac1: lag / (sd * sd * xs.length) };
  };

  it("has the configured bias and standard deviation, Gaussian or Student-t", () => {
    const g = stats(draw({ bias: 0.1, std: 0.05 }), 0.1, 0.05);
    expect(g.mean).toBeCloseTo(0.1, 2);
    expect(g.std).toBeCloseTo(0.05, 2);
    const t = stats(draw({ bias: -0.2, std: 0.05, nu: 5 }), -0.2, 0.05);
    expect(t.mean).toBeCloseTo(-0.2, 2);
    expect(Math.abs(t.std - 0.05)).toBeLessThan(0.005);
    // Heavy tails: far more 4σ excursions than a Gaussian's 0.006 %.
    expect(t.tail).toBeGreaterThan(20 * g.tail + 0.001);
    // A fractional ν is drawn as the next integer, with the spread still std.
    expect(Math.abs(stats(draw({ std: 0.05, nu: 4.5 }), 0, 0.05).std - 0.05)).toBeLessThan(0.005);
  });

  it("is exactly the bias (plus the gain term) when std is 0, and draws nothing", () => {
    const rng = new Random(1);
    expect(new RegressionErrorProcess(error({ bias: 0.3 })).sample(7, 0, rng)).toBe(0.3);
    expect(new RegressionErrorProcess(error({ bias: 0.1, gain: -1, center: 0.5 })).sample(0.2, 0, rng)).toBeCloseTo(0.4, 12);
    expect(rng.next()).toBe(new Random(1).next());
  });

  it("follows the truth with the gain: −1 is a constant output", () => {
    const truth = (i: number) => 0.5 + 0.3 * Math.sin(i / 7);
    const e = draw({ bias: 0.02, gain: -1, center: 0.5 }, 3, 200, truth);
    e.forEach((x, i) => expect(truth(i) + x).toBeCloseTo(0.52, 12));
  });

  it("spreads more off the centre with stdSlope", () => {
    const near = stats(
      draw({ std: 0.02, stdSlope: 0.5, center: 0.5 }, 4, 20000, () => 0.5),
      0,
      0.02,
    );
    const far = stats(
      draw({ std: 0.02, stdSlope: 0.5, center: 0.5 }, 4, 20000, () => 0.7),
      0,
      0.12,
    );
    expect(Math.abs(near.std - 0.02)).toBeLessThan(0.001);
    expect(Math.abs(far.std - 0.12)).toBeLessThan(0.005);
  });

  it("is seeded and deterministic, and independent per frame without a correlation time", () => {
    expect(draw({ std: 0.1, nu: 4, correlationTime: 0.5 }, 5, 500)).toEqual(draw({ std: 0.1, nu: 4, correlationTime: 0.5 }, 5, 500));
    expect(draw({ std: 0.1 }, 5, 500)).not.toEqual(draw({ std: 0.1 }, 6, 500));
    expect(Math.abs(stats(draw({ std: 0.1 }), 0, 0.1).ac1)).toBeLessThan(0.02);
  });

  it("has the autocorrelation exp(−Δt/τ) between frames, and keeps its spread", () => {
    for (const [tau, nu] of [
      [0.3, undefined],
      [1, 5],
    ] as const) {
      const s = stats(draw({ std: 0.05, correlationTime: tau, ...(nu ? { nu } : {}) }, 9, 60000), 0, 0.05);
      expect(Math.abs(s.ac1 - Math.exp(-0.1 / tau))).toBeLessThan(0.02);
      expect(Math.abs(s.std - 0.05)).toBeLessThan(0.004);
    }
  });
});

describe("parsePerceptionConfig", () => {
  it("fills defaults and rejects bad fields with their path", () => {
    const c = parsePerceptionConfig({ kind: "injected", heading: { std: 0.1 } });
    expect(c).toMatchObject({ kind: "injected", heading: { bias: 0, std: 0.1 }, distance: { bias: 0, std: 0 }, laneMask: "exact" });
    expect(() => parsePerceptionConfig({ kind: "injected", distance: { std: -1 } })).toThrow(/perception.distance.std: expected a number ≥ 0/);
    expect(() => parsePerceptionConfig({ kind: "injected", heading: { std: 1, nu: 2 } })).toThrow(/nu: expected a number > 2/);
    expect(() => parsePerceptionConfig({ kind: "injected", distance: { gain: -3 } })).toThrow(
      /perception.distance.gain: expected a number in \[-2, 2\]/,
    );
    expect(() => parsePerceptionConfig({ kind: "injected", networks: { x: { tail: [0.6] } } })).toThrow(/perception.networks.x.tail.0/);
    expect(() => parsePerceptionConfig({ kind: "onnx" })).toThrow(InputError);
    expect(() => parsePerceptionConfig({ kind: "injected", lane: { shiftPx: 1, blur: 3 } })).toThrow(/perception.lane/);
  });
});
