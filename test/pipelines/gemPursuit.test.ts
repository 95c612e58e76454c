/**
 * The third application, GEM pure pursuit on a regressed lane pose: the
 * controller's geometry, and the closed loop on its own world
 * (gem-serpentine) with oracle and injected perception.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GEM_E2, LANE_POSE_LOOKAHEAD, PurePursuitController } from "../../index.ts";
import { runGemPursuit } from "./gemPursuitRunner.ts";

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

describe("gem-pursuit closed loop on gem-serpentine", () => {
  it("completes the route with 0 collisions under oracle perception", async () => {
    for (const seed of SEEDS) {
      const s = await runGemPursuit({ kind: "oracle" }, seed);
      expect([s.seed, s.collisions, s.completed]).toEqual([seed, 0, true]);
      expect(s.distanceMeters).toBeGreaterThan(200);
      expect(s.crossTrackMax).toBeLessThan(0.5);
    }
  });

  it("is deterministic: the same seed gives the same trajectory, bit for bit", async () => {
    const cfg = { kind: "injected" as const, crossTrack: { std: 1 } };
    expect((await runGemPursuit(cfg, 4)).trajectoryHash).toBe((await runGemPursuit(cfg, 4)).trajectoryHash);
    expect((await runGemPursuit(cfg, 4)).trajectoryHash).not.toBe((await runGemPursuit(cfg, 5)).trajectoryHash);
  });

  const collisions = async (crossTrack: { bias?: number; std?: number }) => {
    let total = 0;
    for (const seed of SEEDS) total += (await runGemPursuit({ kind: "injected", crossTrack }, seed, { stopAfterCollisions: 20 })).collisions;
    return total / SEEDS.length;
  };

  it("collisions grow with the cross-track bias (toward the cones)", async () => {
    const means = [];
    for (const bias of [0, 1.5, 2, 2.5]) means.push(await collisions({ bias }));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    expect(means[3]).toBeGreaterThan(0);
  });

  it("collisions grow with the cross-track noise", async () => {
    const means = [];
    for (const std of [0.5, 3, 8]) means.push(await collisions({ std }));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    expect(means[2]).toBeGreaterThan(0);
  });

  it("completes the route with 0 collisions with models/lanepose.onnx in the loop", async () => {
    const s = await runGemPursuit({ kind: "onnx", model: join(import.meta.dirname, "..", "..", "models", "lanepose.onnx") }, 1);
    expect([s.collisions, s.completed]).toEqual([0, true]);
    expect(s.crossTrackMax).toBeLessThan(0.6);
  });
});
