import { describe, expect, it } from "vitest";
import { planSeeds } from "../../../optimizer/tune/seedPlan.ts";

describe("planSeeds", () => {
  it("lays counts out one after the other, so the three sets are disjoint", () => {
    expect(planSeeds({ calibration: 3, tuning: 2 })).toEqual({ calibration: [0, 1, 2], tuning: [3, 4], verification: [5, 6] });
    expect(planSeeds({ calibration: [10, 11], tuning: 2, verification: 3 })).toEqual({
      calibration: [10, 11],
      tuning: [12, 13],
      verification: [14, 15, 16],
    });
    expect(planSeeds({ tuning: 2 })).toEqual({ calibration: [], tuning: [0, 1], verification: [2, 3] });
  });

  it("refuses overlapping lists, naming the field and the seed", () => {
    expect(() => planSeeds({ calibration: 2, tuning: [1, 5] }, "cfg.json")).toThrow(
      /cfg\.json: seeds: seed 1 is already in calibration\.seeds; .* must be disjoint/,
    );
    expect(() => planSeeds({ calibration: 2, tuning: [5], verification: [5] })).toThrow(/verifySeeds: seed 5 is already in seeds/);
    expect(() => planSeeds({ calibration: [], tuning: 2 })).toThrow(/calibration\.seeds: expected a non-empty list/);
    expect(() => planSeeds({ tuning: 0 })).toThrow(/seeds: expected a positive seed count/);
  });
});
