import { describe, expect, it } from "vitest";
import {
  ErrorDistribution,
  ErrorMetric,
  findErrorDistribution,
  maskMetric,
  recall,
  InputError,
  laneMaskErrorStats,
  PolynomialFit,
  Random,
  type Approximator,
  type ErrorSample,
  type LabeledDataset,
  type Model,
  type ModelRunner,
} from "../../../index.ts";

describe("PolynomialFit", () => {
  it("recovers a quadratic exactly and reports R² = 1", () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const fit = PolynomialFit.fit(
      xs,
      xs.map((x) => 2 - 0.5 * x + 0.25 * x * x),
      2,
    );
    expect(fit.degree).toBe(2);
    expect(fit.coefficients[0]).toBeCloseTo(2, 9);
    expect(fit.coefficients[1]).toBeCloseTo(-0.5, 9);
    expect(fit.coefficients[2]).toBeCloseTo(0.25, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it("continues linearly beyond the measured range", () => {
    const fit = PolynomialFit.fit([1, 2, 3], [1, 4, 9], 2); // y = x²
    expect(fit.at(2.5)).toBeCloseTo(6.25, 9);
    expect(fit.at(4)).toBeCloseTo(9 + 6 * 1, 9); // tangent at 3: slope 6
    expect(fit.at(0)).toBeCloseTo(1 - 2 * 1, 9); // tangent at 1: slope 2
  });

  it("picks a line for linear data in auto mode and lowers the degree for few distinct x", () => {
    const rng = new Random(1);
    const xs = Array.from({ length: 12 }, (_, i) => i / 11);
    const ys = xs.map((x) => 3 * x + 1 + rng.normal(0, 1e-3));
    expect(PolynomialFit.fit(xs, ys).degree).toBe(1);
    expect(PolynomialFit.fit([1, 1, 2, 2], [0, 0, 1, 1], 2).degree).toBe(1);
    expect(PolynomialFit.fit([1, 1], [3, 3], 2).at(7)).toBeCloseTo(3, 9);
  });
});

/** Regression samples whose error at level L is N(0.2·L, (0.05 + 1.5·L)²) on output 0 and N(−L, (0.5·L)²) on output 1. */
function regressionSamples(rng: Random, levels: number[], n: number): ErrorSample[] {
  return levels.map((level) => {
    const labels = new Float32Array(n * 2);
    const predictions = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      labels[2 * i] = rng.uniform(-1, 1);
      labels[2 * i + 1] = rng.uniform(0, 1);
      predictions[2 * i] = labels[2 * i] + rng.normal(0.2 * level, 0.05 + 1.5 * level);
      predictions[2 * i + 1] = labels[2 * i + 1] + rng.normal(-level, 0.5 * level);
    }
    return { nn: "net", level, predictions, labels, outputs: 2 };
  });
}

describe("findErrorDistribution.fromSamples (regression)", () => {
  const rng = new Random(7);
  const dist = findErrorDistribution.fromSamples(regressionSamples(rng, [0.05, 0.1, 0.2, 0.3, 0.4], 20_000), {
    metrics: { net: "l1Error" },
    outputNames: { net: ["heading", "distance"] },
  });

  it("recovers the known bias and std as functions of the level, with good R²", () => {
    const fam = dist.family("net");
    expect(fam.kind).toBe("regression");
    if (fam.kind !== "regression") return;
    expect(fam.metric).toBe("l1Error");
    expect(fam.levelRange).toEqual([0.05, 0.4]);
    expect(fam.outputs.map((o) => o.name)).toEqual(["heading", "distance"]);
    for (const o of fam.outputs) {
      expect(o.std.r2).toBeGreaterThan(0.99);
      expect(o.bias.r2).toBeGreaterThan(0.95);
    }
    for (const level of [0.1, 0.25, 0.35]) {
      const inj = dist.injectionFor("net", level);
      expect(inj.kind).toBe("gaussian");
      if (inj.kind !== "gaussian") return;
      expect(inj.bias[0]).toBeCloseTo(0.2 * level, 2);
      expect(inj.std[0]).toBeCloseTo(0.05 + 1.5 * level, 2);
      expect(inj.bias[1]).toBeCloseTo(-level, 2);
      expect(inj.std[1]).toBeCloseTo(0.5 * level, 2);
    }
  });

  it("maps budget points by name or in NN order, never to a negative std", () => {
    expect(dist.injectionAt({ net: 0.2 })).toEqual(dist.injectionAt([0.2]));
    const far = dist.injectionFor("net", -10);
    if (far.kind === "gaussian") expect(Math.min(...far.std)).toBeGreaterThanOrEqual(0);
    expect(() => dist.injectionAt([0.1, 0.2])).toThrow(/2 levels but there are 1 NNs/);
    expect(() => dist.family("lanes")).toThrow(/no error family for NN "lanes" \(have net\)/);
  });

  it("round-trips through JSON and rejects malformed JSON naming the field", () => {
    const back = ErrorDistribution.fromJSON(JSON.parse(JSON.stringify(dist)));
    expect(back.injectionAt({ net: 0.33 })).toEqual(dist.injectionAt({ net: 0.33 }));
    const broken = JSON.parse(JSON.stringify(dist));
    broken.families.net.outputs[0].std.coefficients = [];
    expect(() => ErrorDistribution.fromJSON(broken, "dist.json")).toThrow(InputError);
    expect(() => ErrorDistribution.fromJSON(broken, "dist.json")).toThrow(/dist.json: families.net.outputs\[0\].std.coefficients/);
  });
});

/** N×H×W lane labels with vertical lanes at columns 8 and 24 (2 px wide). */
function laneLabels(n: number, h: number, w: number): Float32Array {
  const labels = new Float32Array(n * h * w);
  for (let s = 0; s < n; s++) for (let r = 0; r < h; r++) for (const c of [8, 9, 24, 25]) labels[(s * h + r) * w + c] = 1;
  return labels;
}

/** Predictions: lanes shifted by `shift` px, lane pixels dropped with `drop`, spurious pixels with `fp`. */
function lanePredictions(rng: Random, labels: Float32Array, h: number, w: number, shift: number, drop: number, fp: number): Float32Array {
  const pred = new Float32Array(labels.length);
  const rows = labels.length / w;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < w; c++) {
      const i = r * w + c;
      if (labels[i] > 0.5) {
        if (!rng.chance(drop)) pred[r * w + c + shift] = 0.9;
      } else if (rng.chance(fp) && c > 12 && c < 20) pred[i] = 0.8;
    }
  }
  return pred;
}

describe("lane-mask error model", () => {
  const h = 16;
  const w = 32;

  it("measures drop rate, false-positive rate and lateral shift without double counting", () => {
    const rng = new Random(3);
    const labels = laneLabels(20, h, w);
    const stats = laneMaskErrorStats(lanePredictions(rng, labels, h, w, 2, 0.1, 0.05), labels, [h, w]);
    expect(stats.shiftPx).toBeCloseTo(2, 1);
    expect(stats.shiftStdPx).toBeLessThan(0.3);
    expect(stats.dropRate).toBeCloseTo(0.1, 1);
    // spurious pixels only in columns 13…19 (7 of 28 background columns) at 5 %
    expect(stats.falsePositiveRate).toBeCloseTo((0.05 * 7) / 28, 2);
  });

  it("counts spurious pixels only below the horizon row when asked", () => {
    const labels = laneLabels(1, h, w);
    const pred = labels.slice();
    pred[3 * w + 16] = 1; // above the horizon
    pred[12 * w + 16] = 1; // below it
    const all = laneMaskErrorStats(pred, labels, [h, w]);
    const below = laneMaskErrorStats(pred, labels, [h, w], { fromRow: 8 });
    expect(all.falsePositiveRate).toBeCloseTo(2 / (h * 28), 12);
    expect(below.falsePositiveRate).toBeCloseTo(1 / (8 * 28), 12);
    expect(below.dropRate).toBe(0);
    expect(() => laneMaskErrorStats(pred, labels, [h, w], { fromRow: h })).toThrow(/fromRow/);
  });

  it("fits the parameters against the metric level", () => {
    const rng = new Random(4);
    const labels = laneLabels(10, h, w);
    const samples: ErrorSample[] = [0, 1, 2, 3].map((k) => ({
      nn: "lanenet",
      level: 0.9 - 0.1 * k,
      predictions: lanePredictions(rng, labels, h, w, k, 0.05 * k, 0),
      labels,
      kind: "lane-mask",
      shape: [h, w],
    }));
    const dist = findErrorDistribution.fromSamples(samples, { degree: 1, laneMask: { maxShift: 4 } });
    const inj = dist.injectionFor("lanenet", 0.65);
    expect(inj.kind).toBe("lane-mask");
    if (inj.kind !== "lane-mask") return;
    expect(inj.shiftPx).toBeCloseTo(2.5, 0);
    expect(inj.dropRate).toBeCloseTo(0.125, 1);
    expect(inj.falsePositiveRate).toBeGreaterThanOrEqual(0);
    expect(() => findErrorDistribution.fromSamples([{ ...samples[0], shape: undefined }])).toThrow(/need shape/);
  });
});

describe("lane-mask families of logit networks", () => {
  const [h, w, n] = [16, 32, 6];
  const labels = laneLabels(n, h, w);
  const dataset: LabeledDataset = { size: n, inputShape: [1, h, w], images: labels, labels };
  // A pruned LaneNet seen in the zoo: every lane logit in (0, 0.5), so lane at 0 and nothing at 0.5.
  const lowLogits: ModelRunner = { name: "lanenet", run: async (batch) => batch.map((v) => (v > 0.5 ? 0.3 : -4)) };
  const measured = async (metric: ErrorMetric) => {
    const fam = (await findErrorDistribution([], [lowLogits], dataset, { metrics: [metric], masks: { lanenet: [h, w] } })).family("lanenet");
    if (fam.kind !== "lane-mask") throw new Error("expected a lane-mask family");
    return fam.measured[0];
  };

  it("reads the masks at the threshold of the metric that indexes the family", async () => {
    const atZero = await measured(new ErrorMetric(lowLogits, maskMetric("recall", { threshold: 0 })));
    expect(atZero.level).toBe(1);
    expect(atZero.lossRate).toBe(0);
    expect(atZero.dropRate).toBe(0);
    const atHalf = await measured(new ErrorMetric(lowLogits, recall));
    expect(atHalf.level).toBe(0);
    expect(atHalf.lossRate).toBe(1);
  });
});

describe("findErrorDistribution with approximators", () => {
  it("measures the baseline and every approximation level, indexing the family by the metric", async () => {
    const n = 400;
    const rng = new Random(9);
    const images = new Float32Array(n);
    const labels = new Float32Array(n);
    for (let i = 0; i < n; i++) labels[i] = images[i] = rng.uniform(-1, 1);
    const dataset: LabeledDataset = { size: n, inputShape: [1, 1, 1], images, labels };
    // The "model" IR carries the noise level the fake runtime applies.
    const irWithNoise = (noise: number) => ({ graph: { name: `noise${noise}` } }) as unknown as Model;
    const runnerWithNoise = (noise: number): ModelRunner => {
      const r = new Random(`noise${noise}`);
      return {
        name: "heading",
        model: irWithNoise(noise),
        run: async (batch, count) => Float32Array.from({ length: count }, (_, i) => batch[i] + 0.1 * noise + r.normal(0, noise)),
      };
    };
    const approximator: Approximator = {
      name: "fake",
      nSteps: 3,
      async *levels() {
        for (let level = 1; level <= 3; level++) yield { level, fraction: level / 4, model: irWithNoise(0.1 * level) };
      },
    };
    const disposed: string[] = [];
    const dist = await findErrorDistribution([approximator], [runnerWithNoise(0)], dataset, {
      instantiate: async (model) => {
        const noise = Number((model as unknown as { graph: { name: string } }).graph.name.slice(5));
        return { ...runnerWithNoise(noise), dispose: () => void disposed.push(String(noise)) };
      },
    });
    const fam = dist.family("heading");
    expect(fam.kind).toBe("regression");
    if (fam.kind !== "regression") return;
    expect(fam.metric).toBe("l1Error");
    expect(fam.measured).toHaveLength(4);
    expect(disposed).toHaveLength(3);
    // std grows with the level: the L1 error of N(0.1σ, σ²) is about 0.8σ.
    const stds = fam.measured.map((m) => m.std[0]);
    expect(stds[0]).toBe(0);
    for (let k = 1; k < 4; k++) expect(stds[k]).toBeCloseTo(0.1 * k, 1);
    expect(fam.measured[3].level).toBeGreaterThan(fam.measured[1].level);
  });

  it("needs the ONNX model of an NN to approximate it", async () => {
    const net: ModelRunner = { name: "x", run: async (_b, n) => new Float32Array(n) };
    const ds: LabeledDataset = { size: 1, inputShape: [1, 1, 1], images: new Float32Array(1), labels: new Float32Array(1) };
    const approx: Approximator = { name: "p", nSteps: 1, levels: async function* () {} };
    await expect(findErrorDistribution([approx], [net], ds)).rejects.toThrow(/NN x: has no ONNX model/);
  });
});
