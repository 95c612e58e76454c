import { describe, expect, it } from "vitest";
import { describeGoal } from "../../index.ts";

describe("describeGoal", () => {
  it("states the per-run bounds and how a fixed goal judges its seeds", () => {
    expect(describeGoal({ collisions: 0 })).toBe(
      "a run passes with no collision and the route completed; a configuration passes when every seed passes",
    );
    expect(describeGoal({ collisions: 1, crossTrackMax: 1, completed: false, minPassFraction: 0.8 })).toBe(
      "a run passes with ≤ 1 collision and |cross-track| ≤ 1 m; a configuration passes when ≥ 80 % of its seeds pass",
    );
  });

  it("states a rate goal's rate, confidence and the sequential test it is judged by", () => {
    expect(describeGoal({ collisions: 0, passRate: 0.9, confidence: 0.9 })).toBe(
      "a run passes with no collision and the route completed; a configuration passes when ≥ 90 % of runs pass, at 90 % confidence " +
        "(sequential test, pass rates 80 % vs 94 %, ≤ 114 runs per verdict)",
    );
  });
});
