import { describe, expect, it } from "vitest";
import { createSimulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { parseWorldPreset } from "../../worlds/index.ts";

describe("collision accounting", () => {
  it("driving straight down the middle of the straight row hits nothing and completes it", () => {
    const sim = createSimulation({ world: "cropfield-straight", seed: 2 });
    sim.setCommand({ v: 1, omega: 0 });
    while (!sim.completed() && sim.time < 40) sim.advance(0.5);
    expect(sim.completed()).toBe(true);
    expect(sim.collisions.count).toBe(0);
    expect(sim.collisions.events).toEqual([]);
    const f = requireWorldKind(sim.world, "cropfield", "world", "test").rowFrame(sim.pose());
    expect(Math.abs(f.distanceRatio - 0.5)).toBeLessThan(1e-6);
  });

  it("steering into a row counts each plant hit once, at the right place and time", () => {
    const sim = createSimulation({ world: "cropfield-straight", seed: 2 });
    sim.setCommand({ v: 0.5, omega: 0.5 });
    sim.advance(1.2);
    sim.setCommand({ v: 0.5, omega: 0 });
    sim.advance(10);
    const { count, events } = sim.collisions;
    expect(count).toBeGreaterThan(0);
    expect(events.length).toBe(count);
    const ids = events.map((e) => e.obstacleId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of events) {
      const o = sim.world.obstacles[e.obstacleId];
      expect(e.kind).toBe("plant");
      // The contact point lies on the stem's surface (collider radius 0.012 m, 8-sided).
      expect(Math.hypot(e.x - o.x, e.y - o.y)).toBeLessThan(0.05);
      // Left row of the start lane.
      expect(o.y).toBeGreaterThan(0.3);
      expect(e.time).toBeGreaterThan(0.5);
      expect(e.time).toBeLessThanOrEqual(sim.time);
    }
    // Stems are rigid: the robot cannot pass through the row.
    expect(sim.pose().y).toBeLessThan(0.38);
  });

  it("the ground is never counted, even after a drop", () => {
    const sim = createSimulation({ world: "cropfield-straight", seed: 2 });
    sim.robot.body.position.z += 0.3;
    sim.advance(2);
    expect(sim.collisions.count).toBe(0);
    expect(sim.robot.body.position.z).toBeCloseTo(0.165, 2);
  });

  it("leaving the road on the track hits the cones", () => {
    const sim = createSimulation({ world: "gem-track", seed: 2 });
    sim.setCommand({ speed: 4, steer: 0 });
    sim.advance(20);
    expect(sim.collisions.count).toBeGreaterThan(0);
    expect(sim.collisions.events.every((e) => e.kind === "cone")).toBe(true);
    const first = sim.collisions.events[0];
    // Driving straight where the road turns left leaves it on the right (outside of the curve), where the
    // cones stand at lateral −(4.5 + 0.8) m, i.e. 3.05 m right of the right-lane centre.
    const { laneFrame } = requireWorldKind(sim.world, "track", "world", "test");
    const crossTrack = laneFrame({ x: first.x, y: first.y, yaw: 0 }).crossTrack;
    expect(crossTrack).toBeLessThan(-2.5);
    expect(crossTrack).toBeGreaterThan(-3.5);
    expect(laneFrame(sim.pose()).s).toBeGreaterThan(40);
  });
});

describe("obstacle streaming", () => {
  it("gives the same collisions as keeping every obstacle in the physics world", () => {
    // A small curved field with weeds, so that the unstreamed world stays fast enough for a test.
    const world = parseWorldPreset({
      kind: "cropfield",
      rows: { count: 4, length: 10, curve: { radius: 15, turn: "right", straightBefore: 2 } },
      weeds: { perMeter: 3 },
    });
    const drive = (streamObstacles: boolean) => {
      const sim = createSimulation({ world, seed: 9, streamObstacles });
      for (let k = 0; k < 120; k++) {
        sim.setCommand({ v: 0.8, omega: 1.2 * Math.sin(k / 8) });
        sim.advance(0.1);
      }
      return { ids: sim.collisions.events.map((e) => e.obstacleId), pose: sim.pose() };
    };
    const streamed = drive(true);
    const full = drive(false);
    expect(streamed.ids.length).toBeGreaterThan(2);
    expect(new Set(streamed.ids)).toEqual(new Set(full.ids));
    expect(streamed.pose.x).toBeCloseTo(full.pose.x, 3);
    expect(streamed.pose.y).toBeCloseTo(full.pose.y, 3);
  });
});
