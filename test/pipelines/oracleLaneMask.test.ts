import { describe, expect, it } from "vitest";
import { InputError, Random, buildWorld, createSimulation, loadWorldScenario, maxPoolMask } from "../../index.ts";
import { OracleLaneMask } from "../../pipelines/perception/OracleLaneMask.ts";

/** A worn random track (seed 4 of `random-track` has faded and missing paint) with the GEM's camera at `size`. */
function trackSim(width: number, height: number) {
  const world = buildWorld(loadWorldScenario("random-track").draw(4), 4);
  return createSimulation({ world, seed: 4, robot: "gem", camera: { width, height, fps: 20 } });
}

const lit = (m: Uint8Array) => m.reduce((n, v) => n + (v ? 1 : 0), 0);

describe("OracleLaneMask", () => {
  it("pooled: the `pool`× rendered mask max-pooled, as a LaneNet's labels; thin far lines survive that a direct render loses", () => {
    const pooled = new OracleLaneMask({ width: 64, height: 32 }, "rendered", 4);
    expect(pooled.camera).toEqual({ width: 256, height: 128 });
    const sim = trackSim(256, 128);
    pooled.attach(sim, new Random(1));
    const mask = pooled.perceive().slice();
    const full = sim.renderLaneMask!(new Uint8Array(256 * 128));
    const expected = new Uint8Array(64 * 32);
    maxPoolMask(full, 256, 128, 4, expected);
    expect(mask).toEqual(expected);

    const direct = new OracleLaneMask({ width: 64, height: 32 }, "rendered");
    direct.attach(trackSim(64, 32), new Random(1));
    const d = direct.perceive();
    expect(lit(d)).toBeGreaterThan(0);
    expect(lit(mask)).toBeGreaterThan(1.5 * lit(d));
    for (let i = 0; i < d.length; i++) if (d[i]) expect(mask[i]).toBe(1);
  });

  it("rejects a pool that is not a positive integer, or pooling of exact masks", () => {
    expect(() => new OracleLaneMask({ width: 64, height: 32 }, "exact", 4)).toThrow(InputError);
    expect(() => new OracleLaneMask({ width: 64, height: 32 }, "exact", 4)).toThrow(/perception\.maskPool: pooling needs laneMask "rendered"/);
    expect(() => new OracleLaneMask({ width: 64, height: 32 }, "rendered", 1.5)).toThrow(/perception\.maskPool: expected a positive integer/);
  });
});
