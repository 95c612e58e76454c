import { describe, expect, it } from "vitest";
import { ConstantSchedule, CosineSchedule, ExplicitSchedule, OneCycleSchedule, StepSchedule } from "../../../optimizer/train/schedules/index.ts";
import { InputError } from "../../../common/index.ts";

describe("learning-rate schedules", () => {
  it("constant", () => {
    const s = new ConstantSchedule(0.05);
    expect([0, 1, 1000].map((i) => s.at(i))).toEqual([0.05, 0.05, 0.05]);
  });

  it("step decays by gamma every stepSize steps", () => {
    const s = new StepSchedule({ lr: 1, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map((i) => s.at(i))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
  });

  it("cosine anneals from lr to minLr with linear warm-up", () => {
    const s = new CosineSchedule({ lr: 1, totalSteps: 12, minLr: 0.1, warmupSteps: 2 });
    expect(s.at(0)).toBeCloseTo(0.5, 12);
    expect(s.at(1)).toBeCloseTo(1, 12);
    expect(s.at(2)).toBeCloseTo(1, 12); // start of the cosine part
    expect(s.at(7)).toBeCloseTo(0.55, 12); // half-way: (1 + 0.1) / 2
    expect(s.at(12)).toBeCloseTo(0.1, 12);
    expect(s.at(100)).toBeCloseTo(0.1, 12);
  });

  it("one-cycle matches PyTorch OneCycleLR's phases", () => {
    const s = new OneCycleSchedule({ maxLr: 0.1, totalSteps: 10 });
    // pct_start 0.3 → peak at step 2; initial 0.1/25; final initial/1e4.
    expect(s.at(0)).toBeCloseTo(0.004, 12);
    expect(s.at(1)).toBeCloseTo((0.004 + 0.1) / 2, 12);
    expect(s.at(2)).toBeCloseTo(0.1, 12);
    expect(s.at(9)).toBeCloseTo(4e-7, 15);
    expect(s.at(5.5)).toBeCloseTo((0.1 + 4e-7) / 2, 12);
    for (let i = 3; i < 10; i++) expect(s.at(i)).toBeLessThan(s.at(i - 1));
  });

  it("records and replays a schedule exactly, through JSON", () => {
    const original = new OneCycleSchedule({ maxLr: 0.3, totalSteps: 97, pctStart: 0.25 });
    const recorded = ExplicitSchedule.record(original, 97);
    const replay = ExplicitSchedule.fromJSON(JSON.parse(JSON.stringify(recorded)), "lr.json");
    for (let i = 0; i < 97; i++) expect(replay.at(i)).toBe(original.at(i));
    expect(replay.at(500)).toBe(original.at(96));
  });

  it("rejects bad parameters and bad recorded JSON, naming the field", () => {
    expect(() => new ConstantSchedule(-1)).toThrow(InputError);
    expect(() => new StepSchedule({ lr: 0.1, stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new CosineSchedule({ lr: 0.1, totalSteps: 10, warmupSteps: 10 })).toThrow(/warmupSteps/);
    expect(() => ExplicitSchedule.fromJSON({ kind: "explicit", values: [0.1, "x"] }, "lr.json")).toThrow(/lr\.json: values\[1\]/);
    expect(() => ExplicitSchedule.fromJSON({ kind: "cosine", values: [] }, "lr.json")).toThrow(/lr\.json: kind/);
  });
});
