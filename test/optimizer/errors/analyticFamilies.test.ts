import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { ErrorDistribution } from "../../../optimizer/errors/ErrorDistribution.ts";
import { gaussianFamily, laneDropFamily } from "../../../optimizer/errors/analyticFamilies.ts";
import { l1Error, l2Error } from "../../../optimizer/metrics/regression.ts";

describe("analytic error families", () => {
  it("inject Gaussian errors whose measured l1/l2 metric equals the requested level", () => {
    const dist = new ErrorDistribution({
      heading: gaussianFamily("l1Error", ["heading"], [0, 0.3]),
      distance: gaussianFamily("l2Error", ["distance"], [0, 0.2]),
    });
    const inj = dist.injectionAt({ heading: 0.1, distance: 0.05 });
    const rng = new Random(3);
    const n = 200_000;
    const sample = (std: number) => {
      const p = new Float32Array(n);
      for (let i = 0; i < n; i++) p[i] = rng.normal(0, std);
      return p;
    };
    const zeros = new Float32Array(n);
    const h = inj.heading as { bias: number[]; std: number[] };
    const d = inj.distance as { bias: number[]; std: number[] };
    expect(h.bias[0]).toBe(0);
    expect(l1Error(sample(h.std[0]), zeros)).toBeCloseTo(0.1, 3);
    expect(l2Error(sample(d.std[0]), zeros)).toBeCloseTo(0.05, 3);
  });

  it("drops lane pixels at 1 − recall", () => {
    const dist = new ErrorDistribution({ lanenet: laneDropFamily("recall", [1, 0.2], [120, 160]) });
    const inj = dist.injectionFor("lanenet", 0.7) as { dropRate: number; falsePositiveRate: number; shiftPx: number };
    expect(inj.dropRate).toBeCloseTo(0.3, 12);
    expect(inj.falsePositiveRate).toBe(0);
    expect(inj.shiftPx).toBe(0);
  });

  it("reject ranges the wrong way round", () => {
    expect(() => gaussianFamily("l1Error", ["x"], [0.3, 0])).toThrow(/gaussianFamily\(l1Error\): range/);
    expect(() => laneDropFamily("recall", [0.2, 1], [8, 8])).toThrow(/laneDropFamily\(recall\): range/);
  });
});
