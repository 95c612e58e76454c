import { describe, expect, it } from "vitest";
import { lastLossless, type LevelRecord } from "../../../optimizer/index.ts";

const level = (n: number, val: number, test?: number): LevelRecord => ({
  level: n,
  file: `level-${n}.onnx`,
  pruned: n / 10,
  flops: 100 - n,
  flopsRatio: 1 - n / 100,
  params: 10,
  metrics: { l1: val },
  ...(test !== undefined && { testMetrics: { l1: test } }),
  latency: { medianMs: 1, p10Ms: 1, p90Ms: 1, speedup: 1, speedupP10: 1, speedupP90: 1 },
  seconds: 0,
});

describe("lastLossless", () => {
  const primary = { name: "l1", mode: "min" as const };
  it("stops before the first level worse than the original, on the split asked for", () => {
    const levels = [level(0, 3.0, 3.05), level(1, 3.1, 3.0), level(2, 2.8, 3.04), level(3, 2.9, 3.2), level(4, 2.0, 2.0)];
    expect(lastLossless({ levels, primary })).toBe(0);
    expect(lastLossless({ levels, primary }, "test")).toBe(2);
  });
  it("reads higher-is-better metrics the other way round, and gives 0 without test metrics", () => {
    const levels = [level(0, 0.9), level(1, 0.95), level(2, 0.92), level(3, 0.89)];
    expect(lastLossless({ levels, primary: { name: "l1", mode: "max" } })).toBe(2);
    expect(lastLossless({ levels, primary: { name: "l1", mode: "max" } }, "test")).toBe(0);
  });
});
