import { describe, expect, it } from "vitest";
import { InputError } from "../../common/index.ts";
import { createSimulation, GEM_E2, TERRASENTIA } from "../../sim/index.ts";

describe("robot limits", () => {
  it("TerraSentia: speed and yaw rate are clamped, acceleration is limited", () => {
    const sim = createSimulation({ world: "cropfield-straight", seed: 1 });
    sim.setCommand({ v: 5, omega: 0 });
    let prev = sim.velocity().v;
    let maxAccel = 0;
    let maxV = 0;
    for (let i = 0; i < 300; i++) {
      sim.step();
      const v = sim.velocity().v;
      maxAccel = Math.max(maxAccel, (v - prev) / sim.dt);
      maxV = Math.max(maxV, v);
      prev = v;
    }
    expect(maxV).toBeLessThanOrEqual(TERRASENTIA.maxSpeed + 1e-6);
    expect(maxV).toBeGreaterThan(TERRASENTIA.maxSpeed * 0.95);
    expect(maxAccel).toBeLessThanOrEqual(TERRASENTIA.maxAccel * 1.05);
    // The wheels reach full speed only after maxSpeed / maxAccel seconds.
    const slow = createSimulation({ world: "cropfield-straight", seed: 1 });
    slow.setCommand({ v: 5, omega: 0 });
    slow.advance(0.5);
    expect(slow.velocity().v).toBeLessThan(0.5 * TERRASENTIA.maxAccel + 1e-6);

    const spin = createSimulation({ world: "cropfield-straight", seed: 1 });
    spin.setCommand({ v: 0, omega: -10 });
    spin.advance(1.5);
    expect(spin.velocity().omega).toBeCloseTo(-TERRASENTIA.maxYawRate, 2);
  });

  it("GEM: steering is clipped to ±0.61 rad and slews at its rate; the yaw rate follows the bicycle model", () => {
    const sim = createSimulation({ world: "gem-track", seed: 1 });
    sim.setCommand({ speed: 2, steer: 1.2 });
    sim.advance(0.3);
    expect((sim.robot as unknown as { steer: number }).steer).toBeCloseTo(0.3 * GEM_E2.maxSteerRate, 6);
    sim.advance(3);
    const steer = (sim.robot as unknown as { steer: number }).steer;
    expect(steer).toBe(GEM_E2.maxSteer);
    const { v, omega } = sim.velocity();
    expect(v).toBeCloseTo(2, 2);
    expect(omega).toBeCloseTo((2 * Math.tan(GEM_E2.maxSteer)) / GEM_E2.wheelbase, 2);
  });

  it("GEM: speed ramps at the acceleration limit", () => {
    const sim = createSimulation({ world: "gem-track", seed: 1 });
    sim.setCommand({ speed: 100, steer: 0 });
    sim.advance(1);
    expect(sim.velocity().v).toBeLessThanOrEqual(GEM_E2.maxAccel * 1 + 1e-6);
    sim.advance(6);
    expect(sim.velocity().v).toBeLessThanOrEqual(GEM_E2.maxSpeed + 1e-6);
  });

  it("rejects the wrong command shape and bad options", () => {
    const ts = createSimulation({ world: "cropfield-straight", seed: 1 });
    expect(() => ts.setCommand({ speed: 1, steer: 0 })).toThrow(InputError);
    const gem = createSimulation({ world: "gem-track", seed: 1 });
    expect(() => gem.setCommand({ v: 1, omega: 0 })).toThrow(/gem takes \{ speed, steer \}/);
    expect(() => createSimulation({ world: "gem-track", seed: 1, physicsHz: 50 })).toThrow(/physicsHz: expected a number in \[100, 2000\]/);
    expect(() => createSimulation({ world: "gem-track", seed: 1, camera: { width: 0, height: 10 } })).toThrow(/camera\.width/);
    expect(() => ts.renderCamera()).toThrow(/without camera options/);
  });
});
