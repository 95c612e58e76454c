/**
 * The third application, gem-pursuit (GEM pure pursuit on a regressed lane
 * pose), through its spec only: the controller's geometry, and the closed
 * loop on its own world distribution (gem-serpentine) with oracle, injected
 * and ONNX perception, run by `runPipeline` and `ApplicationQos` as any
 * registered application is.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { register as registerRun } from "../../scripts/commands/run.ts";
import { runCommand } from "../fixtures/runCommand.ts";
import {
  ApplicationQos,
  GEM_E2,
  getApplication,
  LANE_POSE_LOOKAHEAD,
  PurePursuitController,
  runPipeline,
  type PerceptionConfigInput,
  type RunSummary,
} from "../../index.ts";

describe("PurePursuitController", () => {
  const pp = new PurePursuitController({ speed: 4 });

  it("drives straight when the lane ahead is centred and aligned", () => {
    const cmd = pp.command(0, 0);
    expect(cmd.speed).toBe(4);
    expect(Math.abs(cmd.steer)).toBe(0);
  });

  it("steers toward the lane centre: right when the spot ahead is left of it, and the reverse", () => {
    expect(pp.command(1, 0).steer).toBeLessThan(0);
    expect(pp.command(-1, 0).steer).toBeGreaterThan(0);
    expect(pp.command(1, 0).steer).toBeCloseTo(-pp.command(-1, 0).steer, 12);
  });

  it("steers onto the circle through the goal point (seen from the rear axle)", () => {
    // Goal 1 m right of the spot ahead on a straight lane: x = lookahead + wheelbase/2, y = −1.
    const x = LANE_POSE_LOOKAHEAD + GEM_E2.wheelbase / 2;
    const radius = (x * x + 1) / (2 * 1);
    expect(Math.tan(pp.command(1, 0).steer)).toBeCloseTo(-GEM_E2.wheelbase / radius, 12);
  });

  it("clips steering to the cart's limit", () => {
    // Turned 1.1 rad off the lane, the goal point comes within a few metres: a tighter arc than the cart can drive.
    expect(pp.command(-9, -1.1).steer).toBe(GEM_E2.maxSteer);
    expect(pp.command(9, 1.1).steer).toBe(-GEM_E2.maxSteer);
  });
});

const SEEDS = [1, 2, 3];
const run = async (perception: PerceptionConfigInput, seed: number, stopAfterCollisions?: number): Promise<RunSummary> =>
  (await runPipeline({ pipeline: "gem-pursuit", world: "gem-serpentine", perception }, seed, { stopAfterCollisions })).summary;

describe("gem-pursuit closed loop on gem-serpentine", () => {
  it("is registered with its own world, robot and rates", () => {
    const app = getApplication("gem-pursuit");
    expect([app.world.kind, app.world.default, app.robot, app.defaults.fps, app.defaults.speed]).toEqual([
      "track",
      "gem-serpentine",
      "gem",
      10,
      4,
    ]);
    expect(app.networks.map((n) => [n.name, n.output])).toEqual([["lanepose", { kind: "vector", size: 2 }]]);
  });

  it("completes the route with 0 collisions under oracle perception", async () => {
    for (const seed of SEEDS) {
      const s = await run({ kind: "oracle" }, seed);
      expect([s.seed, s.collisions, s.completed]).toEqual([seed, 0, true]);
      expect(s.distanceMeters).toBeGreaterThan(190);
      expect(s.crossTrackMax).toBeLessThan(0.5);
    }
  });

  it("is deterministic: the same seed gives the same trajectory, bit for bit", async () => {
    const noisy: PerceptionConfigInput = { kind: "injected", networks: { lanepose: { std: [1, 0.05] } } };
    expect((await run(noisy, 4)).trajectoryHash).toBe((await run(noisy, 4)).trajectoryHash);
    expect((await run(noisy, 4)).trajectoryHash).not.toBe((await run(noisy, 5)).trajectoryHash);
  });

  const meanCollisions = async (crossTrack: { bias?: number; std?: number }) => {
    const perception: PerceptionConfigInput = {
      kind: "injected",
      networks: { lanepose: { bias: [crossTrack.bias ?? 0, 0], std: [crossTrack.std ?? 0, 0] } },
    };
    let total = 0;
    for (const seed of SEEDS) total += (await run(perception, seed, 20)).collisions;
    return total / SEEDS.length;
  };

  it("collisions grow with the cross-track bias (toward the cones)", async () => {
    const means = [];
    for (const bias of [0, 1.5, 2, 2.5]) means.push(await meanCollisions({ bias }));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    expect(means[3]).toBeGreaterThan(0);
  });

  it("collisions grow with the cross-track noise", async () => {
    const means = [];
    for (const std of [0.5, 3, 8]) means.push(await meanCollisions({ std }));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    expect(means[2]).toBeGreaterThan(0);
  });

  describe("as the optimizer's QoS oracle", () => {
    const qos = new ApplicationQos({ pipeline: "gem-pursuit", workers: 0 });
    afterAll(() => qos.close());

    it("passes without error and fails with a Gaussian error family's bias toward the cones", async () => {
      expect((await qos.evaluate({}, { seeds: [1, 2] })).pass).toBe(true);
      const biased = await qos.evaluate({ lanepose: { kind: "gaussian", bias: [2.5, 0], std: [0, 0] } }, { seeds: [1, 2] });
      expect(biased.pass).toBe(false);
    });

    it("completes the route with 0 collisions with models/lanepose.onnx in the loop", async () => {
      const r = await qos.evaluateModels({ lanepose: join(import.meta.dirname, "..", "..", "models", "lanepose.onnx") }, { seeds: [1] });
      expect(r.pass).toBe(true);
      expect(r.detail.perSeed.map((s) => [s.collisions, s.completed])).toEqual([[0, true]]);
    });
  });

  it("`approxcaliper run --injection` injects its errors through the spec; the CropFollow flags are refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gem-pursuit-run-"));
    try {
      const injection = JSON.stringify({ lanepose: { kind: "gaussian", bias: [2.5, 0], std: [0, 0] } });
      const args = ["--pipeline", "gem-pursuit", "--perception", "injected", "--seeds", "1", "--workers", "0", "--max-time", "20"];
      const stdout = await runCommand(registerRun, "run", [...args, "--injection", injection, "--out", join(dir, "biased")]);
      expect(stdout).toContain('perception injected {"lanepose":{"bias":[2.5,0],"std":[0,0]}}');
      expect(stdout).toContain("FAIL: 0/1 seeds");
      await expect(runCommand(registerRun, "run", [...args, "--heading-std", "0.3", "--out", join(dir, "bad")])).rejects.toThrow(
        /use --injection/,
      );
      await expect(
        runCommand(registerRun, "run", [...args, "--injection", '{"lanenet":{"kind":"gaussian"}}', "--out", join(dir, "bad")]),
      ).rejects.toThrow(/unknown network "lanenet"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
