import { describe, expect, it } from "vitest";
import {
  ErrorDistribution,
  findErrorDistribution,
  fitStudentTail,
  InputError,
  Random,
  RegressionErrorProcess,
  RegressionErrorSchema,
  structuredErrorStats,
  type ErrorSample,
  type ErrorSequences,
} from "../../../index.ts";

/** Known truth of one level: error = bias + gain·(x − center) + (std + stdSlope·|x − center|)·t_ν (AR(1) with τ along runs). */
interface Truth {
  bias: number;
  gain: number;
  center: number;
  std: number;
  stdSlope?: number;
  nu?: number;
  tau: number;
  /** Spread of a bias offset held for a whole run (closed-loop runs only). */
  runOffset?: number;
}

/** n independent views with labels uniform around `center` (a dataset). */
function dataset(t: Truth, rng: Random, n: number): { predictions: Float32Array; labels: Float32Array } {
  const labels = new Float32Array(n);
  const predictions = new Float32Array(n);
  const p = new RegressionErrorProcess(
    RegressionErrorSchema.parse({ bias: t.bias, std: t.std, stdSlope: t.stdSlope, gain: t.gain, center: t.center, nu: t.nu }),
  );
  for (let i = 0; i < n; i++) {
    labels[i] = t.center + (rng.next() - 0.5) * 0.6;
    predictions[i] = labels[i] + p.sample(labels[i], i, rng);
  }
  return { predictions, labels };
}

/** Closed-loop-like runs: a slowly wandering truth sampled every 0.1 s, the error's noise AR(1) with τ. */
function runs(t: Truth, rng: Random, count: number, frames: number): ErrorSequences {
  const predictions = new Float32Array(count * frames);
  const labels = new Float32Array(count * frames);
  for (let r = 0; r < count; r++) {
    const p = new RegressionErrorProcess(
      RegressionErrorSchema.parse({
        bias: t.bias + (t.runOffset ?? 0) * rng.normal(),
        std: t.std,
        stdSlope: t.stdSlope,
        gain: t.gain,
        center: t.center,
        nu: t.nu,
        correlationTime: t.tau,
      }),
    );
    const phase = rng.next() * 6;
    for (let f = 0; f < frames; f++) {
      const i = r * frames + f;
      labels[i] = t.center + 0.1 * Math.sin(phase + f / 40);
      predictions[i] = labels[i] + p.sample(labels[i], f * 0.1, rng);
    }
  }
  return { predictions, labels, runs: Array(count).fill(frames), frameInterval: 0.1 };
}

describe("structured regression errors", () => {
  it("fitStudentTail tells Student-t residuals from Gaussian ones", () => {
    const rng = new Random(3);
    const gauss = Float64Array.from({ length: 20000 }, () => rng.normal(0, 0.1));
    const heavy = Float64Array.from({ length: 20000 }, () => rng.studentT(5, 0.1 * Math.sqrt(3 / 5)));
    expect(fitStudentTail(gauss, 0.1)).toBeLessThan(1 / 20);
    const w = fitStudentTail(heavy, 0.1);
    expect(1 / w).toBeGreaterThanOrEqual(4);
    expect(1 / w).toBeLessThanOrEqual(6);
  });

  it("structuredErrorStats recovers bias, gain, centre, spread, tail and correlation time", () => {
    const truth: Truth = { bias: 0.02, gain: -0.8, center: 0.5, std: 0.05, stdSlope: 0.2, nu: 5, tau: 0.4 };
    const rng = new Random(7);
    const { predictions, labels } = dataset(truth, rng, 30000);
    const s = structuredErrorStats(predictions, labels, 1, runs(truth, rng, 12, 1500));
    expect(s.bias[0]).toBeCloseTo(0.02, 2);
    expect(s.gain[0]).toBeCloseTo(-0.8, 1);
    expect(Math.abs(s.gain[0] + 0.8)).toBeLessThan(0.02);
    expect(s.center[0]).toBeCloseTo(0.5, 2);
    expect(Math.abs(s.std[0] - 0.05)).toBeLessThan(0.004);
    expect(Math.abs(s.stdSlope[0] - 0.2)).toBeLessThan(0.03);
    expect(1 / s.tail[0]).toBeGreaterThanOrEqual(4);
    expect(1 / s.tail[0]).toBeLessThanOrEqual(6);
    expect(Math.abs(s.correlationTime![0] - 0.4)).toBeLessThan(0.05);
  });

  it("structuredErrorStats measures the spread of an offset held per run, and none where there is none", () => {
    const truth: Truth = { bias: 0.01, gain: -0.5, center: 0, std: 0.05, tau: 0.4 };
    const rng = new Random(13);
    const { predictions, labels } = dataset(truth, rng, 5000);
    // 60 runs of 300 frames: about the calibration's runs; each run's mean carries ~0.01 of frame noise.
    const offsets = [0, 0.015, 0.03].map(
      (runOffset) => structuredErrorStats(predictions, labels, 1, runs({ ...truth, runOffset }, rng, 60, 300)).runOffset![0],
    );
    expect(offsets[0]).toBeLessThan(0.008);
    expect(Math.abs(offsets[1] - 0.015)).toBeLessThan(0.006);
    expect(Math.abs(offsets[2] - 0.03)).toBeLessThan(0.007);
    // Frame noise alone, however correlated, is not read as an offset: a longer τ leaves more of it in the run means.
    expect(structuredErrorStats(predictions, labels, 1, runs({ ...truth, tau: 2 }, rng, 60, 300)).runOffset![0]).toBeLessThan(0.012);
    expect(structuredErrorStats(predictions, labels).runOffset).toBeUndefined();
  });

  it("measures a flat Gaussian spread as flat and Gaussian", () => {
    const d = dataset({ bias: 0, gain: -0.5, center: 0.5, std: 0.05, tau: 0 }, new Random(5), 20000);
    const s = structuredErrorStats(d.predictions, d.labels);
    expect(Math.abs(s.std[0] - 0.05)).toBeLessThan(0.003);
    expect(s.stdSlope[0]).toBeLessThan(0.02);
    expect(s.tail[0]).toBeLessThan(0.05);
  });

  it("refuses sequences whose runs do not add up", () => {
    const seq: ErrorSequences = { predictions: new Float32Array(10), labels: new Float32Array(10), runs: [4, 4], frameInterval: 0.1 };
    expect(() => structuredErrorStats(new Float32Array(4), new Float32Array(4), 1, seq)).toThrow(InputError);
    expect(() => structuredErrorStats(new Float32Array(4), new Float32Array(4), 1, seq)).toThrow(/do not add up to the 10 frames/);
  });

  it("findErrorDistribution fits the structured family across levels and injects it at a level", () => {
    const rng = new Random(11);
    const levels = [0.04, 0.06, 0.08, 0.1];
    // The signal fades with the level (gain → −1), the noise gets heavier and faster.
    const truthAt = (l: number): Truth => ({
      bias: 0.1 * l,
      gain: -10 * l,
      center: 0.5,
      std: 0.5 * l,
      nu: l > 0.07 ? 4 : undefined,
      tau: 0.6 - 4 * l,
      runOffset: 0.5 * l,
    });
    const samples: ErrorSample[] = levels.map((level) => {
      const t = truthAt(level);
      return { nn: "distance", level, ...dataset(t, rng, 20000), sequences: runs(t, rng, 40, 300) };
    });
    const dist = findErrorDistribution.fromSamples(samples, { regressionModel: "structured", degree: 1 });
    const family = dist.family("distance");
    expect(family.kind === "regression" && family.model).toBe("structured");
    const inj = dist.injectionFor("distance", 0.07);
    if (inj.kind !== "gaussian") throw new Error("expected a regression injection");
    expect(inj.bias[0]).toBeCloseTo(0.007, 2);
    expect(Math.abs(inj.gain![0] + 0.7)).toBeLessThan(0.03);
    expect(inj.center![0]).toBeCloseTo(0.5, 2);
    expect(Math.abs(inj.std[0] - 0.035)).toBeLessThan(0.003);
    expect(Math.abs(inj.correlationTime![0] - 0.32)).toBeLessThan(0.05);
    expect(Math.abs(inj.runOffset![0] - 0.035)).toBeLessThan(0.01);
    expect(inj.tail![0]).toBeGreaterThan(0.05);
    // Clamped to the injector's domain beyond the measured range.
    const far = dist.injectionFor("distance", 0.3);
    expect(far.kind === "gaussian" && far.gain![0]).toBe(-2);
    // JSON round trip keeps the model and its terms.
    expect(ErrorDistribution.fromJSON(JSON.parse(JSON.stringify(dist.toJSON()))).injectionFor("distance", 0.07)).toEqual(inj);
  });

  it("the gaussian model (the default) ignores gain and sequences, as before", () => {
    const rng = new Random(2);
    const t: Truth = { bias: 0, gain: -1, center: 0.5, std: 0.01, tau: 0.5 };
    const samples: ErrorSample[] = [0.05, 0.1].map((level) => ({ nn: "d", level, ...dataset(t, rng, 5000), sequences: runs(t, rng, 2, 100) }));
    const inj = findErrorDistribution.fromSamples(samples).injectionFor("d", 0.07);
    expect(Object.keys(inj).sort()).toEqual(["bias", "kind", "std"]);
    // The whole error (the lost signal included) becomes spread: √(0.6²/12 + 0.01²).
    expect(inj.kind === "gaussian" && inj.std[0]).toBeCloseTo(Math.sqrt(0.03 + 1e-4), 2);
  });
});
