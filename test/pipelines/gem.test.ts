import { describe, expect, it } from "vitest";
import {
  GEM_E2,
  GroundProjection,
  InputError,
  LaneMaskErrorSchema,
  LaneMaskRasterizer,
  LanePostProcessor,
  Random,
  StanleyController,
  applyLaneMaskError,
  cameraModelFor,
  createSimulation,
  datasetCamera,
  laneGeometry,
  maxPoolMask,
  robustQuadraticFit,
  type Pose2D,
  requireWorldKind,
} from "../../index.ts";

const sim = createSimulation({ world: "gem-track", seed: 3 });
const cam = cameraModelFor(sim, { width: 160, height: 120, hfovDeg: 90 });
const world = requireWorldKind(sim.world, "track", "world", "test");
const preset = world.preset;
const ground = new GroundProjection(cam);
const rasterizer = new LaneMaskRasterizer(preset, ground);
const front = GEM_E2.wheelbase / 2;

/** A pose `lateral` m left of the right-lane centre at route position `s`, turned by `dyaw`. */
function poseAt(s: number, lateral: number, dyaw: number): Pose2D {
  // Walk from the start pose along the lane with laneFrame as the guide.
  const p = { ...sim.world.startPose };
  for (let k = 0; k < 400; k++) {
    const f = world.laneFrame(p);
    if (f.s >= s) break;
    const yaw = p.yaw - f.headingError;
    p.x += 0.5 * Math.cos(yaw) - Math.sin(yaw) * -f.crossTrack * 0.5;
    p.y += 0.5 * Math.sin(yaw) + Math.cos(yaw) * -f.crossTrack * 0.5;
    p.yaw = yaw;
  }
  const f = world.laneFrame(p);
  const yaw = p.yaw - f.headingError;
  const off = lateral - f.crossTrack;
  return { x: p.x - Math.sin(yaw) * off, y: p.y + Math.cos(yaw) * off, yaw: yaw + dyaw };
}

describe("robustQuadraticFit", () => {
  it("recovers a parabola despite 30 % gross outliers", () => {
    const rng = new Random(5);
    const n = 200;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = rng.uniform(3, 20);
      ys[i] = 1.2 - 0.05 * xs[i] + 0.004 * xs[i] ** 2 + rng.normal(0, 0.02);
      if (rng.chance(0.3)) ys[i] += rng.uniform(-3, 3);
    }
    const fit = robustQuadraticFit(xs, ys, n, new Float64Array(n))!;
    expect(fit.a).toBeCloseTo(1.2, 1);
    expect(fit.b).toBeCloseTo(-0.05, 2);
    expect(fit.c).toBeCloseTo(0.004, 3);
    expect(fit.inliers).toBeGreaterThan(120);
    expect(fit.inliers).toBeLessThan(160);
  });
});

describe("LanePostProcessor", () => {
  const cases: [string, number, number, number][] = [
    ["centred on the straight", 10, 0, 0],
    ["0.6 m left, turned right", 20, 0.6, -0.08],
    ["0.5 m right, turned left", 25, -0.5, 0.06],
    ["in the left curve", 60, 0.2, 0.03],
  ];
  for (const [name, s, lateral, dyaw] of cases) {
    it(`recovers cross-track and heading error at the front axle (${name})`, () => {
      const pose = poseAt(s, lateral, dyaw);
      const truth = world.laneFrame(pose, front);
      const mask = rasterizer.render(pose, new Uint8Array(cam.width * cam.height));
      const proc = new LanePostProcessor(ground, laneGeometry(preset), { frontAxleX: front });
      let est = proc.process(mask);
      est = proc.process(mask); // second pass: the gates are centred on the first estimate
      expect(est.left || est.right).toBe(true);
      expect(Math.abs(est.crossTrack - truth.crossTrack)).toBeLessThan(0.08);
      expect(Math.abs(est.headingError - truth.headingError)).toBeLessThan(0.02);
    });
  }

  // What the zoo LaneNets learn to output: the mask rendered at their 256×128 input, max-pooled by 4 to 64×32.
  const labelGround = new GroundProjection(cameraModelFor(sim, { width: 64, height: 32, hfovDeg: 90 }));
  const labelCamera = datasetCamera(sim.world, "gem", 256, 128, 90);
  for (const [name, s, lateral, dyaw] of cases) {
    it(`recovers cross-track and heading error from label-like 64×32 masks (${name})`, () => {
      const pose = poseAt(s, lateral, dyaw);
      const truth = world.laneFrame(pose, front);
      const mask = new Uint8Array(64 * 32);
      maxPoolMask(labelCamera.renderLaneMask(pose, new Uint8Array(256 * 128)), 256, 128, 4, mask);
      const proc = new LanePostProcessor(labelGround, laneGeometry(preset), { frontAxleX: front });
      proc.process(mask);
      const est = proc.process(mask);
      expect(est.held).toBe(false);
      // Coarser than at 160×120: pooled lines are up to 5 px wide and a pixel of the far rows spans 0.3–0.7 m
      // (the worst of these poses is off by 0.17 m and 0.08 rad); a line taken for its neighbour is off by metres.
      expect(Math.abs(est.crossTrack - truth.crossTrack)).toBeLessThan(0.25);
      expect(Math.abs(est.headingError - truth.headingError)).toBeLessThan(0.12);
    });
  }

  it("falls back on one line when the other is missing, and holds the estimate when both are", () => {
    const pose = poseAt(15, 0.4, 0.03);
    const truth = world.laneFrame(pose, front);
    const mask = rasterizer.render(pose, new Uint8Array(cam.width * cam.height));
    const proc = new LanePostProcessor(ground, laneGeometry(preset), { frontAxleX: front });
    proc.process(mask);
    // Erase everything right of the lane centre (the right line).
    const oneSided = mask.slice();
    for (let v = 0; v < cam.height; v++) {
      if (Number.isNaN(ground.rowX[v])) continue;
      for (let u = 0; u < cam.width; u++) if (ground.lateral(u, v) < -truth.crossTrack) oneSided[v * cam.width + u] = 0;
    }
    const est = proc.process(oneSided);
    expect(est.left).toBe(true);
    expect(est.right).toBe(false);
    expect(Math.abs(est.crossTrack - truth.crossTrack)).toBeLessThan(0.1);
    const ct = est.crossTrack;
    const held = proc.process(new Uint8Array(cam.width * cam.height));
    expect(held.held).toBe(true);
    expect(held.crossTrack).toBe(ct);
  });

  // A LaneNet's mask: 32 rows, of which only six see the ground 7–25 m ahead.
  const coarse = new GroundProjection(cameraModelFor(sim, { width: 64, height: 32, hfovDeg: 90 }));
  const lane = laneGeometry(preset);
  /**
   * Lines parallel to a centre curve y = κx²/2 (the cart centred and aligned), each lit on the rows that see
   * the ground from `near` to `far` m: two pixels wide so that neighbouring rows' pixels touch (the salt
   * filter keeps them), one where two would be wider than a line (far rows). Returns the mask and the rows lit.
   */
  const paintCoarse = (lines: { offset: number; near: number; far: number }[], curvature = 0) => {
    const { width, height } = coarse.camera;
    const mask = new Uint8Array(width * height);
    let rows = 0;
    for (let v = 0; v < height; v++) {
      const X = coarse.rowX[v];
      for (const { offset, near, far } of lines) {
        if (!(X >= near && X <= far)) continue;
        rows++;
        const c = coarse.column((curvature / 2) * X * X + offset, v);
        if (2 * coarse.rowLat[v] < 0.8) mask[v * width + Math.round(c) - 1] = mask[v * width + Math.round(c)] = 1;
        else mask[v * width + Math.floor(c)] = 1;
      }
    }
    return { mask, rows };
  };

  it("finds a line of a LaneNet's 32-row mask from the five rows 8–25 m ahead, at a gap between dashes", () => {
    const full = paintCoarse([
      { offset: lane.leftLine, near: 2, far: 25 },
      { offset: lane.rightLine, near: 2, far: 25 },
    ]).mask;
    const gap = paintCoarse([{ offset: lane.leftLine, near: 8, far: 25 }]);
    expect(gap.rows).toBe(5);
    for (const [minPoints, found] of [
      [undefined, true],
      [6, false],
    ] as const) {
      const proc = new LanePostProcessor(coarse, lane, { frontAxleX: front, minPoints });
      expect(proc.process(full).held).toBe(false);
      const est = proc.process(gap.mask);
      expect(est.left).toBe(found);
      expect(est.held).toBe(!found);
      // Coarse: a pixel of the far rows is 0.3–0.7 m wide on the ground, and one line's fit extrapolates 8 m back.
      expect(Math.abs(est.crossTrack)).toBeLessThan(0.5);
    }
  });

  it("fits the centre curve from both lines together when neither is enough alone (a tight curve on a 32-row mask)", () => {
    const curvature = -1 / 35; // a right turn of 35 m radius
    const full = paintCoarse(
      [
        { offset: lane.leftLine, near: 2, far: 25 },
        { offset: lane.rightLine, near: 2, far: 25 },
      ],
      curvature,
    ).mask;
    // The left line only within 4 m (a span under `minSpan`), the right one only 7–13 m ahead (four rows).
    const nearLeft = { offset: lane.leftLine, near: 2, far: 4 };
    const farRight = { offset: lane.rightLine, near: 7, far: 13 };
    const run = (lines: (typeof nearLeft)[]) => {
      const proc = new LanePostProcessor(coarse, lane, { frontAxleX: front });
      for (let i = 0; i < 3; i++) expect(proc.process(full).held).toBe(false);
      return { ...proc.process(paintCoarse(lines, curvature).mask) };
    };
    expect(run([nearLeft]).held).toBe(true);
    expect(run([farRight]).held).toBe(true);
    const both = run([nearLeft, farRight]);
    expect(both.held).toBe(false);
    expect(both.left && both.right).toBe(true);
    expect(Math.abs(both.crossTrack)).toBeLessThan(0.3);
    expect(both.curvature).toBeCloseTo(curvature, 2);
  });

  it("does not take a near cluster and one far point for a line", () => {
    const full = paintCoarse([
      { offset: lane.leftLine, near: 2, far: 25 },
      { offset: lane.rightLine, near: 2, far: 25 },
    ]).mask;
    // The left line within 4 m (nine rows, 1.3 m of extent) and one lit pixel 0.8 m beside it 23.5 m ahead,
    // kept by the salt filter through a blob on the next row (too wide for a line, so no point itself).
    const { mask } = paintCoarse([{ offset: lane.leftLine, near: 2, far: 4 }]);
    const w = coarse.camera.width;
    const v = coarse.rowX.findIndex((X) => X > 20 && X < 25);
    const u = Math.floor(coarse.column(lane.leftLine - 0.8, v));
    mask[v * w + u] = mask[(v + 1) * w + u - 1] = mask[(v + 1) * w + u] = mask[(v + 1) * w + u + 1] = 1;
    const proc = new LanePostProcessor(coarse, lane, { frontAxleX: front });
    const before = { ...proc.process(full) };
    const est = proc.process(mask);
    expect(est.left).toBe(false);
    expect(est.held).toBe(true);
    expect(est.headingError).toBe(before.headingError);
  });

  it("rejects a mask of the wrong size", () => {
    const proc = new LanePostProcessor(ground, laneGeometry(preset));
    expect(() => proc.process(new Uint8Array(100))).toThrow(InputError);
    expect(() => proc.process(new Uint8Array(100))).toThrow(/lane mask: expected 160×120/);
  });
});

describe("LaneMaskRasterizer", () => {
  it("draws the solid centre line and the dashed edge line of the driving lane", () => {
    const pose = poseAt(10, 0, 0);
    const mask = rasterizer.render(pose, new Uint8Array(cam.width * cam.height));
    // Rows seeing the ground 6–10 m ahead: the centre line left of the image centre, the edge line right of it.
    let left = 0;
    let right = 0;
    for (let v = 0; v < cam.height; v++) {
      const X = ground.rowX[v];
      if (!(X >= 6 && X <= 10)) continue;
      for (let u = 0; u < cam.width; u++) {
        if (!mask[v * cam.width + u]) continue;
        if (u < cam.cx) left++;
        else right++;
      }
    }
    expect(left).toBeGreaterThan(0);
    // Nothing above the first usable ground row (the horizon, or 30 m range).
    expect(ground.firstRow).toBeGreaterThan(40);
    for (let u = 0; u < cam.width * ground.firstRow; u++) expect(mask[u]).toBe(0);
    // The edge line is dashed (3 m on, 6 m off): over 50 m of poses it shows up right of centre.
    let seenRight = right > 0;
    for (let s = 12; s < 60 && !seenRight; s += 2) {
      rasterizer.render(poseAt(s, 0, 0), mask);
      for (let v = 0; v < cam.height && !seenRight; v++) {
        if (!(ground.rowX[v] >= 4 && ground.rowX[v] <= 20)) continue;
        for (let u = Math.ceil(cam.cx); u < cam.width; u++) if (mask[v * cam.width + u]) seenRight = true;
      }
    }
    expect(seenRight).toBe(true);
  });
});

describe("applyLaneMaskError", () => {
  it("drops, adds and shifts pixels at the configured rates, deterministically per seed", () => {
    const w = 160;
    const h = 120;
    const base = new Uint8Array(w * h);
    for (let v = 60; v < h; v++) for (let u = 70; u < 80; u++) base[v * w + u] = 1;
    const lit = base.reduce((a, b) => a + b, 0);
    const run = (seed: number) =>
      applyLaneMaskError(
        base.slice(),
        w,
        h,
        60,
        LaneMaskErrorSchema.parse({ dropRate: 0.3, falsePositiveRate: 0.01, shiftPx: 5, shiftStdPx: 0 }),
        new Random(seed),
      );
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    let kept = 0;
    let outside = 0;
    for (let v = 0; v < h; v++) {
      for (let u = 0; u < w; u++) {
        if (!a[v * w + u]) continue;
        if (u >= 75 && u < 85 && v >= 60) kept++;
        else outside++;
        expect(v).toBeGreaterThanOrEqual(60);
      }
    }
    // ~70 % of the shifted band survives (plus a few false positives landing on it).
    expect(kept / lit).toBeGreaterThan(0.64);
    expect(kept / lit).toBeLessThan(0.76);
    const background = 60 * w - lit;
    expect(outside / background).toBeGreaterThan(0.007);
    expect(outside / background).toBeLessThan(0.013);
  });
});

describe("StanleyController", () => {
  it("steers toward the lane centre and clips at ±0.61 rad", () => {
    const c = new StanleyController();
    expect(c.command(0.5, 0).steer).toBeLessThan(0); // left of centre → steer right
    expect(c.command(0, 0.1).steer).toBeCloseTo(-0.1, 12); // yawed left → steer right by θe
    expect(c.command(-0.3, 0).steer).toBeCloseTo(Math.atan((0.45 * 0.3) / 2.8), 12);
    expect(c.command(-20, 0).steer).toBe(0.61);
    expect(c.command(0, 0).speed).toBe(2.8);
  });
});
