import { describe, expect, it } from "vitest";
import {
  accuracy,
  bias,
  InputError,
  iou,
  l1Error,
  l2Error,
  maskConfusion,
  maskMetric,
  percentileError,
  precision,
  recall,
  stdDev,
} from "../../../index.ts";

const f32 = (...v: number[]) => new Float32Array(v);

describe("regression metrics", () => {
  // errors: +1, −2, +3, 0 → |e| = 1, 2, 3, 0
  const pred = f32(1, 0, 5, 2);
  const label = f32(0, 2, 2, 2);

  it("match hand-computed values", () => {
    expect(l1Error(pred, label)).toBeCloseTo(1.5, 6); // (1+2+3+0)/4
    expect(l2Error(pred, label)).toBeCloseTo(Math.sqrt(14 / 4), 6); // (1+4+9+0)/4
    expect(bias(pred, label)).toBeCloseTo(0.5, 6); // |(1−2+3+0)/4|
    // deviations from 0.5: 0.5, −2.5, 2.5, −0.5 → squares 0.25+6.25+6.25+0.25 = 13
    expect(stdDev(pred, label)).toBeCloseTo(Math.sqrt(13 / 4), 6);
    // sorted |e| = 0, 1, 2, 3; rank 0.5·3 = 1.5 → 1.5; rank 0.9·3 = 2.7 → 2.7
    expect(percentileError(50)(pred, label)).toBeCloseTo(1.5, 6);
    expect(percentileError(90)(pred, label)).toBeCloseTo(2.7, 6);
    expect(percentileError(100)(pred, label)).toBeCloseTo(3, 6);
  });

  it("bias is the size of a negative mean error too", () => {
    expect(bias(f32(0, 0), f32(1, 3))).toBeCloseTo(2, 6);
  });

  it("declare lower-better and carry their names", () => {
    for (const m of [l1Error, l2Error, bias, stdDev, percentileError(95)]) expect(m.direction).toBe("lower-better");
    expect(percentileError(95).metricName).toBe("percentileError(95)");
  });

  it("reject mismatched lengths and bad percentiles", () => {
    expect(() => l1Error(f32(1, 2), f32(1))).toThrow(InputError);
    expect(() => percentileError(120)).toThrow(/\[0, 100\]/);
  });
});

describe("accuracy", () => {
  it("counts arg-max hits against class indices", () => {
    const scores = f32(0.1, 0.9, 0.0, /**/ 0.8, 0.1, 0.1, /**/ 0.2, 0.3, 0.5, /**/ 0.6, 0.3, 0.1);
    expect(accuracy(scores, f32(1, 0, 1, 0))).toBeCloseTo(0.75, 6);
    expect(accuracy.direction).toBe("higher-better");
  });

  it("accepts one-hot labels with a count, and binary probabilities", () => {
    const scores = f32(2, 1, /**/ -1, 3);
    expect(accuracy(scores, f32(1, 0, 1, 0), 2)).toBeCloseTo(0.5, 6);
    expect(accuracy(f32(0.7, 0.2, 0.5), f32(1, 1, 0))).toBeCloseTo(1 / 3, 6);
  });

  it("rejects labels that are not class indices", () => {
    expect(() => accuracy(f32(1, 0, 0, 1), f32(0, 5))).toThrow(/class index/);
  });
});

describe("lane-mask metrics", () => {
  // 2 samples of 2×3 pixels.
  const labels = f32(1, 0, 0, 1, 0, 0, /**/ 0, 1, 0, 0, 1, 0);
  const probs = f32(0.9, 0.6, 0.1, 0.2, 0.1, 0.0, /**/ 0.1, 0.7, 0.4, 0.3, 0.5, 0.8);
  // predicted (≥ 0.5): s0: 1 1 0 / 0 0 0; s1: 0 1 0 / 0 1 1
  // TP: s0 (0,0); s1 (0,1), (1,1) → 3. FP: s0 (0,1); s1 (1,2) → 2. FN: s0 (1,0) → 1.
  it("pools confusion counts over all pixels", () => {
    expect(maskConfusion(probs, labels)).toEqual({ truePositives: 3, falsePositives: 2, falseNegatives: 1, trueNegatives: 6 });
    expect(recall(probs, labels)).toBeCloseTo(3 / 4, 6);
    expect(precision(probs, labels)).toBeCloseTo(3 / 5, 6);
    expect(iou(probs, labels)).toBeCloseTo(3 / 6, 6);
  });

  it("thresholds logits at a chosen level", () => {
    const logits = probs.map((p) => Math.log(p / (1 - p) + 1e-9));
    expect(maskMetric("iou", { threshold: 0 })(logits, labels)).toBeCloseTo(iou(probs, labels), 6);
    expect(maskMetric("recall", { threshold: 0.85 })(probs, labels)).toBeCloseTo(1 / 4, 6);
  });

  it("scores empty denominators as perfect", () => {
    expect(recall(f32(0, 0), f32(0, 0))).toBe(1);
    expect(precision(f32(0, 0), f32(1, 0))).toBe(1);
    expect(iou(f32(0, 0), f32(0, 0))).toBe(1);
  });
});
