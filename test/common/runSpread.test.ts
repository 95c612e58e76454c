import { describe, expect, it } from "vitest";
import { median, runSpread, spreadMetrics, spreadOf } from "../../common/index.ts";

describe("runSpread", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(new Float64Array([0.3, 0.1, 0.2]))).toBe(0.2);
    expect(() => median([])).toThrow(/^median: expected at least one value$/);
    expect(spreadOf(new Float64Array([3, 1, 2, 10]))).toEqual({ median: 2.5, min: 1, max: 10, runs: 4 });
  });

  it("gives each key's median, min and max over the runs that report it, booleans as 0/1", () => {
    const spread = runSpread([
      { speedup: 2.0, equal: true, only: 5 },
      { speedup: 1.9, equal: false },
      { speedup: 2.2, equal: true },
    ]);
    expect([...spread.keys()]).toEqual(["speedup", "equal", "only"]);
    expect(spread.get("speedup")).toEqual({ median: 2.0, min: 1.9, max: 2.2, runs: 3 });
    expect(spread.get("equal")).toEqual({ median: 1, min: 0, max: 1, runs: 3 });
    expect(spread.get("only")).toEqual({ median: 5, min: 5, max: 5, runs: 1 });
    expect(spreadMetrics(spread)).toMatchObject({ speedup: 2.0, "speedup.min": 1.9, "speedup.max": 2.2, "equal.min": 0 });
  });
});
