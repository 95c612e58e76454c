import { describe, expect, it } from "vitest";
import { createSimulation } from "../../sim/index.ts";

function meanStd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
}

describe("sensors", () => {
  it("IMU at rest: gravity on z, configured noise, a constant per-run bias", () => {
    const sim = createSimulation({
      world: "cropfield-straight",
      seed: 4,
      imu: { rateHz: 100, gyroNoiseStd: 0.01, gyroBiasStd: 0.02, accelNoiseStd: 0.05, accelBiasStd: 0 },
    });
    sim.advance(0.5);
    const gz: number[] = [];
    const az: number[] = [];
    const ts: number[] = [];
    for (let i = 0; i < 2000; i++) {
      sim.advance(0.01);
      const s = sim.readImu();
      gz.push(s.gyro[2]);
      az.push(s.accel[2]);
      ts.push(s.t);
    }
    const [gm, gs] = meanStd(gz);
    const [am, as] = meanStd(az);
    expect(gs).toBeGreaterThan(0.008);
    expect(gs).toBeLessThan(0.012);
    expect(as).toBeGreaterThan(0.04);
    expect(as).toBeLessThan(0.06);
    expect(am).toBeCloseTo(9.81, 2);
    // A bias of std 0.02 is almost surely not within 0.001 of zero; the mean of 2000 samples resolves it.
    expect(Math.abs(gm)).toBeGreaterThan(0.0005);
    // Samples land on the IMU's own 100 Hz grid.
    expect(new Set(ts).size).toBe(ts.length);
  });

  it("IMU sees the turn and the forward acceleration; odometry the wheel motion", () => {
    // Open asphalt, so that the turn does not run into a plant row.
    const sim = createSimulation({ world: "gem-track", robot: "terrasentia", seed: 4, odometryNoiseStd: 0 });
    sim.setCommand({ v: 1, omega: 0.5 });
    sim.advance(0.3);
    expect(sim.readImu().accel[0]).toBeGreaterThan(0.5);
    sim.advance(2);
    expect(sim.readImu().gyro[2]).toBeCloseTo(0.5, 1);
    const odo = sim.readOdometry();
    expect(odo.v).toBeCloseTo(1, 6);
    expect(odo.omega).toBeCloseTo(0.5, 6);
  });

  it("renders the camera and the lane mask at the requested size", () => {
    const sim = createSimulation({ world: "gem-track", seed: 4, camera: { width: 64, height: 48 } });
    const m = sim.cameraModel();
    expect(m.fx).toBeCloseTo(32, 9); // 90° horizontal FOV on the GEM
    expect(m.fy).toBeCloseTo(m.fx, 9); // square pixels
    expect(m.mountZ).toBeGreaterThan(1.4);
    expect(m.pitch).toBeGreaterThan(0);
    const rgb = sim.renderCamera();
    expect(rgb.length).toBe(64 * 48 * 3);
    // Sky above, road below: the top and bottom rows differ.
    expect(Math.abs(rgb[2] - rgb[(47 * 64 + 32) * 3 + 2])).toBeGreaterThan(40);
    const mask = sim.renderLaneMask!();
    expect(mask.length).toBe(64 * 48);
    const on = mask.reduce((a, b) => a + b, 0);
    expect(on).toBeGreaterThan(20);
    expect(on).toBeLessThan(64 * 48 * 0.3);
    expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
    // Lane markings are on the ground: none in the top rows (sky).
    expect(mask.subarray(0, 64 * 8).every((v) => v === 0)).toBe(true);

    const field = createSimulation({ world: "cropfield-straight", seed: 4, camera: { width: 32, height: 24 } });
    expect(field.renderLaneMask).toBeUndefined();
    const a = field.renderCamera(new Uint8Array(32 * 24 * 3)).slice();
    field.setCommand({ v: 0.5, omega: 0.3 });
    field.advance(1);
    expect(Buffer.from(field.renderCamera()).equals(Buffer.from(a))).toBe(false);
  });
});
