import { describe, expect, it, vi } from "vitest";

/**
 * The fitter, made to fail from its `failAfter`-th call on: a gate-and-fit pass that finds nothing
 * is rare with real masks (it needs the refitted curve to gate out the points that made it), so the
 * test forces one.
 */
const fitter = vi.hoisted(() => ({ calls: 0, failAfter: Infinity }));
vi.mock("../../pipelines/gem/robustQuadraticFit.ts", async (importActual) => {
  const actual = await importActual<typeof import("../../pipelines/gem/robustQuadraticFit.ts")>();
  return {
    ...actual,
    robustQuadraticFit: (...args: Parameters<typeof actual.robustQuadraticFit>) =>
      ++fitter.calls > fitter.failAfter ? null : actual.robustQuadraticFit(...args),
  };
});

const { GEM_E2, GroundProjection, LaneMaskRasterizer, LanePostProcessor, cameraModelFor, createSimulation, laneGeometry, requireWorldKind } =
  await import("../../index.ts");

describe("LanePostProcessor passes", () => {
  it("keeps the first pass's lines when the second pass finds nothing (the frame is not held)", () => {
    const sim = createSimulation({ world: "gem-track", seed: 3 });
    const cam = cameraModelFor(sim, { width: 160, height: 120, hfovDeg: 90 });
    const ground = new GroundProjection(cam);
    const world = requireWorldKind(sim.world, "track", "world", "test");
    const mask = new LaneMaskRasterizer(world.preset, ground).render(sim.world.startPose, new Uint8Array(cam.width * cam.height));
    const proc = new LanePostProcessor(ground, laneGeometry(world.preset), { frontAxleX: GEM_E2.wheelbase / 2 });
    proc.process(mask);
    fitter.calls = 0;
    const settled = { ...proc.process(mask) };
    expect(settled.held).toBe(false);
    // Settled on this mask, each of the two passes makes the same fits.
    const callsPerPass = fitter.calls / 2;
    expect(callsPerPass).toBeGreaterThan(0);

    fitter.calls = 0;
    fitter.failAfter = callsPerPass;
    const est = proc.process(mask);
    expect(fitter.calls).toBeGreaterThan(callsPerPass);
    expect(est.held).toBe(false);
    expect([est.left, est.right]).toEqual([settled.left, settled.right]);
    // The same mask from the same estimate: pass 1 alone lands where both passes did.
    expect(est.crossTrack).toBeCloseTo(settled.crossTrack, 2);

    // Every pass failing is a held frame, with the estimate unchanged.
    const before = est.crossTrack;
    fitter.failAfter = 0;
    const held = proc.process(mask);
    expect(held.held).toBe(true);
    expect(held.left || held.right).toBe(false);
    expect(held.crossTrack).toBe(before);
  });
});
