import {
  BufferAttribute,
  BufferGeometry,
  Color,
  Group,
  InstancedMesh,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Quaternion,
  Scene,
  Vector3,
} from "three";
import type { Random } from "../../common/index.ts";
import type { LaneFrame, Obstacle, TrackWorld } from "../BuiltWorld.ts";
import { wrapAngle, type Pose2D } from "../Pose2D.ts";
import { SegmentPath, type PathPoint, type PathProjection, type PathSegment } from "../path/SegmentPath.ts";
import { createEnvironmentScene } from "../scene/environment.ts";
import { prismGeometry } from "../scene/prismGeometry.ts";
import { groundPlane, pathBounds } from "../scene/groundPlane.ts";
import { noiseTexture } from "../scene/noiseTexture.ts";
import type { TrackPreset } from "../WorldPreset.ts";
import { StripBuilder } from "./stripGeometry.ts";

/** Ribbon sampling step (m); arcs of radius ≥ 10 m stay within a few mm of the true curve. */
const STRIP_DS = 1;
const MARK_Z = 0.01;
/** White dashed line sits this far inside each road edge (m). */
const EDGE_INSET = 0.3;
/** Length (m) of the pieces a worn solid line fades and breaks into. */
const SOLID_CHUNK = 3;

/**
 * Generates a paved two-lane track: asphalt road along the centreline path
 * (yellow solid centre line, white dashed lines near both edges), cones along
 * both road edges at `laneWidth + shoulder` from the centre, grass and trees
 * beyond. The robot drives in the right lane (lateral −laneWidth/2).
 */
export function buildTrack(preset: TrackPreset, rng: Random): TrackWorld {
  const path = new SegmentPath(trackSegments(preset));
  const W = preset.laneWidth;
  const lw = preset.lineWidth;
  const L = path.length;

  const envRng = rng.fork("environment");
  const grass = new Color(preset.grassColor);
  const { scene } = createEnvironmentScene(preset.environment, envRng, grass);
  const maskScene = new Scene();
  maskScene.background = new Color(0, 0, 0);

  // Road, extended 15 m past both ends so the camera never sees its edge at the start.
  const asphalt = new StripBuilder().add(path, -15, L + 15, -W, W, 0, STRIP_DS, 2).build();
  const road = new Mesh(asphalt, new MeshLambertMaterial({ map: noiseTexture(preset.asphaltColor, 64, rng.fork("asphalt"), 0.18, 40) }));
  road.name = "road";
  scene.add(road);

  // Wear draws from its own stream so the rest of the world is the same for a seed whatever the wear.
  const wear = new MarkingWear(preset.wear, new Color(preset.asphaltColor), rng.fork("wear"));
  const yellowPaint = new Color("#e8b923");
  const whitePaint = new Color("#f2f2f2");
  const yellow = new StripBuilder();
  // A fresh solid line is one ribbon; a worn one fades and breaks in chunks.
  const chunk = preset.wear > 0 ? SOLID_CHUNK : Infinity;
  for (let s = -15; s < L + 15; s += chunk) wear.paint(yellow, path, s, Math.min(s + chunk, L + 15), -lw, lw, yellowPaint);
  const white = new StripBuilder();
  const period = preset.dashLength + preset.dashGap;
  for (let s = -15; s < L + 15; s += period) {
    const e = Math.min(s + preset.dashLength, L + 15);
    wear.paint(white, path, s, e, -W + EDGE_INSET, -W + EDGE_INSET + lw, whitePaint);
    wear.paint(white, path, s, e, W - EDGE_INSET - lw, W - EDGE_INSET, whitePaint);
  }
  const yellowGeo = yellow.build();
  const whiteGeo = white.build();
  scene.add(named(new Mesh(yellowGeo, wear.material(yellowPaint)), "centre-line"));
  scene.add(named(new Mesh(whiteGeo, wear.material(whitePaint)), "lane-lines"));
  // The mask holds exactly the pieces still present, faded or not: faded paint is still a marking.
  const maskMat = new MeshBasicMaterial({ color: new Color(1, 1, 1) });
  maskScene.add(named(new Mesh(yellowGeo, maskMat), "centre-line"), named(new Mesh(whiteGeo, maskMat), "lane-lines"));

  // Cones along both edges; spacing is measured along each edge line.
  const obstacles: Obstacle[] = [];
  const pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };
  const coneLat = W + preset.shoulder;
  for (const side of [-1, 1]) {
    const off = side * coneLat;
    for (let s = 0; s <= L;) {
      path.sample(s, off, pt);
      obstacles.push({ id: obstacles.length, kind: "cone", x: pt.x, y: pt.y, radius: preset.cones.radius, height: preset.cones.height });
      s += preset.cones.spacing / Math.max(0.2, 1 - path.curvatureAt(s) * off);
    }
  }
  const coneGeo = coneGeometry();
  const cones = instances(coneGeo, new MeshLambertMaterial({ color: new Color("#ff6a13") }), obstacles, (o, pos, scl) => {
    pos.set(o.x, o.y, 0);
    scl.set(o.radius, o.radius, o.height);
  });
  scene.add(named(cones, "cones"));
  maskScene.add(named(new InstancedMesh(coneGeo, new MeshBasicMaterial({ color: new Color(0, 0, 0) }), obstacles.length), "cones"));
  (maskScene.children[maskScene.children.length - 1] as InstancedMesh).instanceMatrix.copy(cones.instanceMatrix);

  scene.add(grassPlane(preset, path, rng.fork("grass")));
  scene.add(trees(preset, path, rng.fork("trees")));

  path.sample(preset.startOffset, -W / 2, pt);
  const startPose: Pose2D = { x: pt.x, y: pt.y, yaw: pt.yaw };

  const proj: PathProjection = { s: 0, lateral: 0, yaw: 0, curvature: 0 };
  const laneFrame = (pose: Pose2D, lookahead = 0): LaneFrame => {
    path.project(pose.x + lookahead * Math.cos(pose.yaw), pose.y + lookahead * Math.sin(pose.yaw), proj);
    return {
      crossTrack: proj.lateral + W / 2,
      headingError: wrapAngle(pose.yaw - proj.yaw),
      s: proj.s,
      length: L,
      laneWidth: W,
      // The right-lane centre is an offset curve at −W/2: radius grows by W/2 on left turns.
      curvature: proj.curvature / (1 + (proj.curvature * W) / 2),
    };
  };

  const progress = (pose: Pose2D) => {
    path.project(pose.x, pose.y, proj);
    return { s: proj.s, length: L };
  };

  const poseAt = (s: number, lateral: number, heading: number): Pose2D => {
    path.sample(s, -W / 2 + lateral, pt);
    return { x: pt.x, y: pt.y, yaw: wrapAngle(pt.yaw + heading) };
  };

  return { kind: "track", preset, scene, laneMaskScene: maskScene, obstacles, startPose, laneFrame, progress, poseAt };
}

/**
 * Lane-marking wear (see `TrackPreset.wear`): each painted piece is faded
 * toward the asphalt colour by a random fraction up to `wear` and is missing
 * with probability `wear / 3`. At wear 0 pieces keep the plain paint material
 * (no vertex colours), so fresh tracks render exactly as without wear.
 */
class MarkingWear {
  private readonly faded = new Color();

  constructor(
    private readonly wear: number,
    private readonly asphalt: Color,
    private readonly rng: Random,
  ) {}

  /** Adds one painted piece to `strip` unless it has worn away. */
  paint(strip: StripBuilder, path: SegmentPath, s0: number, s1: number, latLo: number, latHi: number, paint: Color): void {
    if (this.wear === 0) {
      strip.add(path, s0, s1, latLo, latHi, MARK_Z, STRIP_DS);
      return;
    }
    const missing = this.rng.chance(this.wear / 3);
    const fade = this.rng.uniform(0, this.wear);
    if (missing) return;
    strip.add(path, s0, s1, latLo, latHi, MARK_Z, STRIP_DS, 1, this.faded.copy(paint).lerp(this.asphalt, fade));
  }

  /** The material for pieces of `paint`: per-piece vertex colours once worn. */
  material(paint: Color): MeshLambertMaterial {
    return this.wear === 0
      ? new MeshLambertMaterial({ color: paint })
      : new MeshLambertMaterial({ color: new Color(1, 1, 1), vertexColors: true });
  }
}

function trackSegments(preset: TrackPreset): PathSegment[] {
  return preset.segments.map((seg) =>
    seg.kind === "straight"
      ? { length: seg.length, curvature: 0 }
      : { length: (seg.radius * Math.abs(seg.angleDeg) * Math.PI) / 180, curvature: Math.sign(seg.angleDeg) / seg.radius },
  );
}

function named<T extends { name: string }>(o: T, name: string): T {
  o.name = name;
  return o;
}

const _m = new Matrix4();
const _q = new Quaternion();
const _p = new Vector3();
const _s = new Vector3();

function instances<T>(
  geo: BufferGeometry,
  mat: MeshLambertMaterial,
  items: T[],
  place: (item: T, pos: Vector3, scl: Vector3) => void,
): InstancedMesh {
  const mesh = new InstancedMesh(geo, mat, items.length);
  items.forEach((it, i) => {
    place(it, _p, _s);
    mesh.setMatrixAt(i, _m.compose(_p, _q.identity(), _s));
  });
  mesh.computeBoundingSphere();
  return mesh;
}

/** Unit traffic cone along +Z: 8-sided, base radius 1, top radius 0.15, height 1, plus a square foot. */
function coneGeometry(): BufferGeometry {
  const pos: number[] = [];
  const idx: number[] = [];
  const n = 8;
  for (let k = 0; k < n; k++) {
    const a = (k * 2 * Math.PI) / n;
    pos.push(0.8 * Math.cos(a), 0.8 * Math.sin(a), 0.05, 0.15 * Math.cos(a), 0.15 * Math.sin(a), 1);
  }
  for (let k = 0; k < n; k++) {
    const b0 = 2 * k;
    const b1 = 2 * ((k + 1) % n);
    idx.push(b0, b1, b0 + 1, b1, b1 + 1, b0 + 1);
  }
  const f = pos.length / 3;
  pos.push(-1, -1, 0.05, 1, -1, 0.05, 1, 1, 0.05, -1, 1, 0.05, -1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0);
  idx.push(f, f + 1, f + 2, f, f + 2, f + 3);
  // Foot sides, so the base reads as a slab from low viewpoints.
  for (let k = 0; k < 4; k++) {
    const a = f + k;
    const b = f + ((k + 1) % 4);
    idx.push(a + 4, b + 4, b, a + 4, b, a);
  }
  const g = new BufferGeometry();
  g.setAttribute("position", new BufferAttribute(new Float32Array(pos), 3));
  g.setIndex(idx);
  g.computeVertexNormals();
  return g;
}

/** Grass plane (textured) under everything, covering the route plus 80 m. */
function grassPlane(preset: TrackPreset, path: SegmentPath, rng: Random): Mesh {
  const bounds = pathBounds(path, -15, path.length + 15, 2, [0]);
  return groundPlane(bounds, 80, 3, noiseTexture(preset.grassColor, 64, rng, 0.3, 40), "grass", -0.03);
}

/** Low-poly trees (prism trunk, octahedral crown) scattered 5–25 m beyond the cones, clear of the road. */
function trees(preset: TrackPreset, path: SegmentPath, rng: Random): Group {
  const group = new Group();
  group.name = "trees";
  const pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };
  const proj: PathProjection = { s: 0, lateral: 0, yaw: 0, curvature: 0 };
  const clear = preset.laneWidth + preset.shoulder + 3;
  const spots: { x: number; y: number; h: number }[] = [];
  for (let tries = 0; spots.length < preset.trees && tries < preset.trees * 20; tries++) {
    const s = rng.uniform(0, path.length);
    const lat = (rng.chance(0.5) ? 1 : -1) * (clear + rng.uniform(2, 22));
    path.sample(s, lat, pt);
    // Another part of a winding route may pass nearby.
    if (Math.abs(path.project(pt.x, pt.y, proj).lateral) < clear) continue;
    spots.push({ x: pt.x, y: pt.y, h: rng.uniform(4, 9) });
  }
  const trunkMat = new MeshLambertMaterial({ color: new Color("#5b3a1e") });
  const crownMat = new MeshLambertMaterial({ color: new Color("#2d5a1d") });
  const trunkGeo = prismGeometry(4);
  const crownGeo = octahedron();
  group.add(
    instances(trunkGeo, trunkMat, spots, (t, pos, scl) => {
      pos.set(t.x, t.y, 0);
      scl.set(0.25, 0.25, t.h * 0.45);
    }),
    instances(crownGeo, crownMat, spots, (t, pos, scl) => {
      pos.set(t.x, t.y, t.h * 0.62);
      scl.set(t.h * 0.32, t.h * 0.32, t.h * 0.4);
    }),
  );
  return group;
}

/** Unit octahedron (non-indexed so each face is flat-shaded). */
function octahedron(): BufferGeometry {
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [-1, 0, 0],
    [0, -1, 0],
  ];
  const pos: number[] = [];
  for (let k = 0; k < 4; k++) {
    const a = v[k];
    const b = v[(k + 1) % 4];
    pos.push(...a, ...b, 0, 0, 1);
    pos.push(...b, ...a, 0, 0, -1);
  }
  const g = new BufferGeometry();
  g.setAttribute("position", new BufferAttribute(new Float32Array(pos), 3));
  g.computeVertexNormals();
  return g;
}
