import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { getApplication } from "../../pipelines/index.ts";
import { addCalibrateFlags, parseCalibrateFlags, type CalibrateFlagValues } from "../../scripts/commands/calibrateFlags.ts";

function flags(args: string[]): CalibrateFlagValues {
  const c = addCalibrateFlags(new Command().exitOverride());
  return c.parse(["node", "x", ...args]).opts<CalibrateFlagValues>();
}

const crop = getApplication("cropfollow");

describe("calibrate flags", () => {
  it("count seeds from 0: 5 seeds 0–4 by default, --seeds K from --first-seed", () => {
    expect(parseCalibrateFlags(flags([]), crop, 5).seeds).toEqual([0, 1, 2, 3, 4]);
    expect(parseCalibrateFlags(flags(["--seeds", "3"]), crop, 5).seeds).toEqual([0, 1, 2]);
    expect(parseCalibrateFlags(flags(["--seeds", "2", "--first-seed", "7"]), crop).seeds).toEqual([7, 8]);
    // With a config and no --seeds, the config's seeds apply.
    expect(parseCalibrateFlags(flags([]), crop).seeds).toBeUndefined();
    expect(() => parseCalibrateFlags(flags(["--first-seed", "3"]), crop)).toThrow(/--first-seed: needs --seeds/);
  });

  it("parse numbers, the rate axis and the goal when the command line is read", () => {
    const o = flags(["--iters", "7", "--precision", "0.1", "--fps-axis", "20:5", "--goal", '{"collisions":0,"crossTrackRms":0.1}']);
    expect(o).toMatchObject({
      iters: 7,
      precision: 0.1,
      fpsAxis: { name: "fps", best: 20, worst: 5 },
      goal: { collisions: 0, crossTrackRms: 0.1 },
    });
    expect(() => flags(["--precision", "1"])).toThrow(/^--precision: expected a fraction in \(0, 1\), got "1"$/);
    expect(() => flags(["--fps-axis", "20:20"])).toThrow(/^--fps-axis: expected best:worst/);
    expect(() => flags(["--goal", '{"colisions":0}'])).toThrow(/^--goal: goal\.colisions/);
  });

  it("accept a metric by its short flag name or its registry name", () => {
    expect(parseCalibrateFlags(flags(["--metrics", "heading:l1,distance:l2Error"]), crop, 5).metrics).toEqual([
      ["heading", "l1Error"],
      ["distance", "l2Error"],
    ]);
    expect(() => parseCalibrateFlags(flags(["--metrics", "heading:recall"]), crop, 5)).toThrow(
      /--metrics: unknown metric "recall" for heading; expected l1, l2/,
    );
  });
});
