import { describe, expect, it } from "vitest";
import { Random } from "../../common/index.ts";
import {
  buildWorld,
  loadWorldPreset,
  requireWorldKind,
  SegmentPath,
  wrapAngle,
  type PathPoint,
  type PathProjection,
} from "../../worlds/index.ts";

const field = (name: string, seed: number) => requireWorldKind(buildWorld(loadWorldPreset(name), seed), "cropfield", "world", "test");
const track = (name: string, seed: number) => requireWorldKind(buildWorld(loadWorldPreset(name), seed), "track", "world", "test");

describe("SegmentPath", () => {
  it("project inverts sample on straights and arcs (both turn directions)", () => {
    const path = new SegmentPath(
      [
        { length: 10, curvature: 0 },
        { length: 20, curvature: 1 / 15 },
        { length: 8, curvature: 0 },
        { length: 25, curvature: -1 / 30 },
      ],
      { x: 3, y: -2, yaw: 0.4 },
    );
    const rng = new Random(1);
    const pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };
    const pr: PathProjection = { s: 0, lateral: 0, yaw: 0, curvature: 0 };
    for (let i = 0; i < 500; i++) {
      const s = rng.uniform(0, path.length);
      const lat = rng.uniform(-3, 3);
      path.sample(s, lat, pt);
      path.project(pt.x, pt.y, pr);
      expect(pr.s).toBeCloseTo(s, 9);
      expect(pr.lateral).toBeCloseTo(lat, 9);
      expect(wrapAngle(pr.yaw - pt.yaw)).toBeCloseTo(0, 9);
    }
  });

  it("is continuous at segment joints", () => {
    const path = new SegmentPath([
      { length: 5, curvature: 0 },
      { length: 5, curvature: 0.2 },
    ]);
    const a = path.sample(5 - 1e-9, 0, { x: 0, y: 0, yaw: 0, curvature: 0 });
    const b = path.sample(5 + 1e-9, 0, { x: 0, y: 0, yaw: 0, curvature: 0 });
    expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(1e-6);
    const end = path.sample(10, 0, { x: 0, y: 0, yaw: 0, curvature: 0 });
    expect(end.yaw).toBeCloseTo(1, 12);
  });
});

describe("rowFrame", () => {
  const w = field("cropfield-straight", 1);
  const spacing = 0.76;

  it("is centred and aligned at the start pose", () => {
    const f = w.rowFrame(w.startPose);
    expect(f.heading).toBeCloseTo(0, 12);
    expect(f.dLeft).toBeCloseTo(spacing / 2, 12);
    expect(f.dRight).toBeCloseTo(spacing / 2, 12);
    expect(f.distanceRatio).toBeCloseTo(0.5, 12);
    expect(f.s).toBeCloseTo(0.5, 12);
    expect(f.length).toBe(30);
  });

  it("measures lateral offset and heading (left is +y when facing +x)", () => {
    const f = w.rowFrame({ x: 5, y: 0.1, yaw: 0.2 });
    expect(f.dLeft).toBeCloseTo(0.28, 12);
    expect(f.dRight).toBeCloseTo(0.48, 12);
    expect(f.distanceRatio).toBeLessThan(0.5);
    expect(f.heading).toBeCloseTo(0.2, 12);
    expect(f.s).toBeCloseTo(5, 12);
  });

  it("plants lie on the row lines it reports", () => {
    for (const o of w.obstacles.slice(0, 200)) {
      const f = w.rowFrame({ x: o.x, y: o.y, yaw: 0 });
      expect(Math.min(f.dLeft, f.dRight)).toBeLessThan(0.021);
    }
  });

  it("follows the arc in the curved field", () => {
    const c = field("cropfield-curved", 1);
    const path = new SegmentPath([
      { length: 6, curvature: 0 },
      { length: 30, curvature: 1 / 40 },
    ]);
    const pt = path.sample(20, 0.05, { x: 0, y: 0, yaw: 0, curvature: 0 });
    const f = c.rowFrame({ x: pt.x, y: pt.y, yaw: pt.yaw - 0.1 });
    expect(f.s).toBeCloseTo(20, 9);
    expect(f.heading).toBeCloseTo(-0.1, 9);
    expect(f.dLeft).toBeCloseTo(0.33, 9);
  });
});

describe("laneFrame", () => {
  const w = track("gem-track", 1);

  it("is zero at the start pose in the right lane", () => {
    const f = w.laneFrame(w.startPose);
    expect(f.crossTrack).toBeCloseTo(0, 12);
    expect(f.headingError).toBeCloseTo(0, 12);
    expect(f.s).toBeCloseTo(5, 12);
    expect(f.laneWidth).toBe(4.5);
    expect(f.curvature).toBe(0);
  });

  it("reports cross-track > 0 left of the lane centre and the lane curvature ahead", () => {
    const f = w.laneFrame({ x: 10, y: -2.25 + 0.5, yaw: 0.05 });
    expect(f.crossTrack).toBeCloseTo(0.5, 12);
    expect(f.headingError).toBeCloseTo(0.05, 12);
    // The first segment is 40 m straight, then a left arc of radius 40 m (right lane radius 42.25 m).
    const ahead = w.laneFrame({ x: 38, y: -2.25, yaw: 0 }, 10);
    expect(ahead.curvature).toBeCloseTo(1 / 42.25, 9);
    expect(w.laneFrame({ x: 38, y: -2.25, yaw: 0 }).curvature).toBe(0);
  });
});

describe("poseAt", () => {
  it("inverts rowFrame and laneFrame", () => {
    const f2 = field("cropfield-curved", 2);
    const p = f2.poseAt(20, 0.1, 0.2);
    const f = f2.rowFrame(p);
    expect(f.s).toBeCloseTo(20, 9);
    expect(f.dLeft).toBeCloseTo(0.28, 9);
    expect(f.heading).toBeCloseTo(0.2, 9);
    const t2 = track("gem-track", 2);
    const q = t2.poseAt(60, -0.4, -0.1);
    const g = t2.laneFrame(q);
    expect(g.s).toBeCloseTo(60, 9);
    expect(g.crossTrack).toBeCloseTo(-0.4, 9);
    expect(g.headingError).toBeCloseTo(-0.1, 9);
  });
});

describe("level of detail", () => {
  it("hides detail leaves only far from the viewer", () => {
    const f3 = field("cropfield-straight", 2);
    const detail: { visible: boolean; name: string }[] = [];
    f3.scene.traverse((o) => {
      if (o.name.startsWith("leaves-detail-")) detail.push(o);
    });
    expect(detail.length).toBeGreaterThan(0);
    f3.setViewpoint!(0, 0);
    const near = detail.filter((m) => m.visible).map((m) => m.name);
    expect(near.length).toBeGreaterThan(0);
    expect(near.length).toBeLessThan(detail.length);
    // Chunks are 5 m long; a chunk shows detail while its bounding sphere is within 8 m.
    expect(near.every((n) => /-(0|1)$/.test(n))).toBe(true);
    f3.setViewpoint!(28, 0);
    const far = detail.filter((m) => m.visible).map((m) => m.name);
    expect(far.length).toBeGreaterThan(0);
    expect(far.every((n) => /-(3|4|5)$/.test(n))).toBe(true);
  });
});
