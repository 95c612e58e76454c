import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readRecording, runPipeline } from "../../pipelines/index.ts";
import { register as runCommandRegister } from "../../scripts/commands/run.ts";
import { TrajectoryLineSchema } from "../../sim/index.ts";
import { FAILING_CROPFOLLOW, makeRecordedRuns, type RecordedRuns } from "../fixtures/recordedRuns.ts";
import { runCommand } from "../fixtures/runCommand.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

let runs: RecordedRuns;
beforeAll(async () => {
  runs = await makeRecordedRuns();
});

describe("run recordings", () => {
  it("hold what a replay needs: preset and seed, trajectory, perception vs truth, commands, collisions, frames", () => {
    const rec = readRecording(runs.cropfollow.dir);
    const h = rec.header;
    expect(h).toMatchObject({ pipeline: "cropfollow", robot: "terrasentia", seed: 2, pass: false, world: { name: "cropfield-straight" } });
    expect(h.world.preset).toMatchObject({ kind: "cropfield", name: "cropfield-straight" });
    expect(h.summary.collisions).toBeGreaterThan(0);
    expect(h.summary.collisionEvents).toHaveLength(h.summary.collisions);
    // Control rate 20 Hz over the run's duration.
    expect(rec.trajectory.length).toBeGreaterThanOrEqual(Math.floor(h.summary.duration * 20));
    for (const line of rec.trajectory) expect(TrajectoryLineSchema.safeParse(line).success).toBe(true);
    expect(Object.keys(rec.trajectory[5].command!)).toEqual(["v", "omega"]);
    expect(rec.trajectory[5].estimate).toBeDefined();
    // Perception at 10 FPS: the injected bias shows as output − truth.
    expect(rec.perception.length).toBeGreaterThanOrEqual(Math.floor(h.summary.duration * 10));
    for (const p of rec.perception.slice(0, 20)) expect(p.output.heading - p.truth.heading).toBeCloseTo(0.3, 6);
    // Frames at 2 FPS, JPEG.
    expect(h.frames.length).toBeGreaterThanOrEqual(Math.floor(h.summary.duration * 2));
    expect(readFileSync(join(runs.cropfollow.dir, h.frames[0].file)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it("GEM recordings name the Ackermann command and log the lane estimate per frame", () => {
    const rec = readRecording(runs.gem.dir);
    expect(rec.header.robot).toBe("gem");
    expect(Object.keys(rec.trajectory[3].command!)).toEqual(["speed", "steer"]);
    expect(Object.keys(rec.perception[3].output)).toEqual(["crossTrack", "heading", "maskPixels"]);
    expect(rec.perception[3].output.maskPixels).toBeGreaterThan(50);
    // Oracle masks: the estimate tracks the truth closely.
    for (const p of rec.perception.slice(2)) expect(Math.abs(p.output.crossTrack - p.truth.crossTrack)).toBeLessThan(0.3);
    expect(rec.header.frames).toEqual([]);
  });

  it("replays the evaluated run bit for bit (the recording's hash is the run's)", async () => {
    const again = await runPipeline(FAILING_CROPFOLLOW, 2);
    expect(again.summary.trajectoryHash).toBe(readRecording(runs.cropfollow.dir).header.summary.trajectoryHash);
  });

  it("a recorded 60 s run without frames stays under 2 MB", async () => {
    const out = mkdtempSync(join(tmpdir(), "rec60-"));
    await runCommand(runCommandRegister, "run", [
      "--pipeline",
      "gem",
      "--perception",
      "oracle",
      "--max-time",
      "60",
      "--seeds",
      "1",
      "--workers",
      "0",
      "--record",
      "all",
      "--out",
      out,
    ]);
    const dir = join(out, "seed-0");
    const rec = readRecording(dir);
    expect(rec.header.summary.duration).toBeGreaterThan(30);
    const bytes = readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
    // Scaled to a full 60 s when the route ended sooner.
    expect((bytes * 60) / rec.header.summary.duration).toBeLessThan(2e6);
  });

  it("run --record failing keeps replays of failing seeds only; --record none of none", async () => {
    const out = mkdtempSync(join(tmpdir(), "recfail-"));
    const args = [
      "--pipeline",
      "cropfollow",
      "--perception",
      "injected",
      "--heading-bias",
      "0.3",
      "--max-time",
      "4",
      "--seeds",
      "2",
      "--seed",
      "0",
      "--workers",
      "0",
    ];
    const printed = await runCommand(runCommandRegister, "run", [...args, "--goal", '{"collisions":0,"completed":false}', "--out", out]);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    for (const s of summary.perSeed) {
      expect(existsSync(join(out, `seed-${s.seed}`, "recording.json"))).toBe(!s.pass);
      expect(existsSync(join(out, `seed-${s.seed}`, "trajectory.jsonl"))).toBe(true);
    }
    expect(summary.recorded).toEqual(summary.perSeed.filter((s: { pass: boolean }) => !s.pass).map((s: { seed: number }) => s.seed));
    if (summary.recorded.length) expect(printed).toMatch(/approxcaliper view/);
    const none = mkdtempSync(join(tmpdir(), "recnone-"));
    await runCommand(runCommandRegister, "run", [...args, "--record", "none", "--out", none]);
    expect(existsSync(join(none, "seed-0", "recording.json"))).toBe(false);
    await expect(runCommand(runCommandRegister, "run", [...args, "--record", "some", "--out", none])).rejects.toThrow(
      /--record: expected one of failing, all, none/,
    );
  });
});
