import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InputError, stableHash } from "../../common/index.ts";
import { createSimulation } from "../../sim/index.ts";
import { buildWorld, loadWorldPreset, parseWorldPreset, type TrackPreset } from "../../worlds/index.ts";

const fresh = loadWorldPreset("gem-track") as TrackPreset;
const worn = (wear: number) => ({ ...fresh, wear });

/** Camera frames and lane-mask pixel count from a few poses along the start straight. */
function look(preset: TrackPreset, seed: number) {
  const sim = createSimulation({ world: preset, seed, robot: "gem", camera: { width: 128, height: 96 } });
  const frames = createHash("sha256");
  let lanePixels = 0;
  for (let k = 0; k < 4; k++) {
    frames.update(sim.renderCamera());
    for (const v of sim.renderLaneMask!()) lanePixels += v;
    sim.setCommand({ speed: 4, steer: 0 });
    sim.advance(1.5);
  }
  sim.dispose();
  return { frames: frames.digest("hex"), lanePixels };
}

describe("lane-marking wear", () => {
  it("the shipped gem-track is fresh (wear 0)", () => {
    expect(fresh.wear).toBe(0);
  });

  it("worn markings render differently and the mask loses the missing pieces", () => {
    const a = look(fresh, 3);
    const b = look(worn(0.9), 3);
    expect(b.frames).not.toBe(a.frames);
    expect(a.lanePixels).toBeGreaterThan(500);
    expect(b.lanePixels).toBeLessThan(0.97 * a.lanePixels);
    expect(b.lanePixels).toBeGreaterThan(0.3 * a.lanePixels);
  });

  it("is deterministic per seed and varies across seeds", () => {
    expect(look(worn(0.6), 5)).toEqual(look(worn(0.6), 5));
    expect(look(worn(0.6), 5).frames).not.toBe(look(worn(0.6), 6).frames);
  });

  it("leaves the rest of the world unchanged for the same seed", () => {
    const a = buildWorld(fresh, 4);
    const b = buildWorld(worn(0.5), 4);
    expect(stableHash(b.obstacles)).toBe(stableHash(a.obstacles));
    expect(stableHash(b.startPose)).toBe(stableHash(a.startPose));
    expect((b.scene.background as { r: number }).r).toBe((a.scene.background as { r: number }).r);
  });

  it("rejects wear outside [0, 1], naming the field and the range", () => {
    for (const wear of [-0.1, 1.5]) {
      expect(() => parseWorldPreset({ kind: "track", segments: [{ kind: "straight", length: 50 }], wear }, "t.json")).toThrow(InputError);
      expect(() => parseWorldPreset({ kind: "track", segments: [{ kind: "straight", length: 50 }], wear }, "t.json")).toThrow(
        "t.json: wear: expected a number in [0, 1]",
      );
    }
  });
});
