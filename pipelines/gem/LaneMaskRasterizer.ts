import { SegmentPath, type PathPoint, type PathProjection, type PathSegment, type Pose2D, type TrackPreset } from "../../worlds/index.ts";
import type { GroundProjection } from "./GroundProjection.ts";
import { laneGeometry, type LaneGeometry } from "./LaneGeometry.ts";

/** Spacing (m) of the band centre polylines; on a 40 m arc the chord error is 0.8 mm. */
const SAMPLE_STEP = 0.5;

/**
 * The exact lane mask of a track, drawn analytically instead of rendered.
 *
 * Per frame, the centre curve of every painted band (solid centre line,
 * dashed edge lines; see {@link laneGeometry}) is sampled every 0.5 m over the
 * camera's range and moved into the vehicle frame. Every usable image row
 * sees the ground along a line of constant forward distance X; where a band's
 * polyline crosses that X, the pixel columns whose centres fall inside the
 * band (its width widened by 1/cos of its angle to the row) are set to 1,
 * unless the crossing lies in a dash gap. Same sampling rule as a rasterizer
 * (a pixel is lit when its centre is covered), without rendering the scene.
 *
 * Differences from `Simulation.renderLaneMask`: cones do not occlude lines,
 * and each band is treated as straight across one image row.
 */
export class LaneMaskRasterizer {
  readonly geometry: LaneGeometry;
  private readonly path: SegmentPath;
  private readonly proj: PathProjection = { s: 0, lateral: 0, yaw: 0, curvature: 0 };
  private readonly pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };
  private readonly period: number;
  private readonly centres: Float64Array;
  private readonly halfWidths: Float64Array;
  private readonly nSamples: number;
  /** Per band, per sample: vehicle-frame X, Y and the centreline arc length. */
  private readonly bx: Float64Array;
  private readonly by: Float64Array;
  private readonly bs: Float64Array;
  private readonly behind: number;

  constructor(
    preset: TrackPreset,
    private readonly ground: GroundProjection,
  ) {
    this.path = new SegmentPath(trackSegments(preset));
    this.geometry = laneGeometry(preset);
    this.period = preset.dashLength + preset.dashGap;
    this.centres = Float64Array.from(this.geometry.bands, (b) => (b.lo + b.hi) / 2);
    this.halfWidths = Float64Array.from(this.geometry.bands, (b) => (b.hi - b.lo) / 2);
    let farthest = 0;
    let nearest = Infinity;
    for (const x of ground.rowX) {
      if (Number.isNaN(x)) continue;
      farthest = Math.max(farthest, x);
      nearest = Math.min(nearest, x);
    }
    // Start a little behind the nearest visible ground (the vehicle may be turned relative to the road).
    this.behind = Math.max(2, -nearest + 2);
    this.nSamples = Math.max(2, Math.ceil((farthest + this.behind + 4) / SAMPLE_STEP) + 1);
    const n = this.centres.length * this.nSamples;
    this.bx = new Float64Array(n);
    this.by = new Float64Array(n);
    this.bs = new Float64Array(n);
  }

  /** Writes the H×W mask (1 = lane marking) seen from `pose` into `target` (zeroed first) and returns it. */
  render(pose: Pose2D, target: Uint8Array): Uint8Array {
    const g = this.ground;
    const { width, height } = g.camera;
    target.fill(0);
    const c = Math.cos(pose.yaw);
    const s = Math.sin(pose.yaw);
    const s0 = this.path.project(pose.x, pose.y, this.proj).s - this.behind;
    const ns = this.nSamples;
    const nb = this.centres.length;
    for (let b = 0; b < nb; b++) {
      for (let k = 0; k < ns; k++) {
        const sk = s0 + k * SAMPLE_STEP;
        this.path.sample(sk, this.centres[b], this.pt);
        const dx = this.pt.x - pose.x;
        const dy = this.pt.y - pose.y;
        this.bx[b * ns + k] = c * dx + s * dy;
        this.by[b * ns + k] = -s * dx + c * dy;
        this.bs[b * ns + k] = sk;
      }
    }
    for (let b = 0; b < nb; b++) {
      const dashed = this.geometry.bands[b].dashed;
      const base = b * ns;
      let k = 0;
      for (let v = height - 1; v >= g.firstRow; v--) {
        const X = g.rowX[v];
        if (Number.isNaN(X)) continue;
        // Rows get farther as v decreases, and so does the polyline: resume the search where it stopped.
        while (k < ns - 2 && this.bx[base + k + 1] <= X) k++;
        const x0 = this.bx[base + k];
        const x1 = this.bx[base + k + 1];
        if (!(x0 <= X && X <= x1) || x1 === x0) continue;
        const f = (X - x0) / (x1 - x0);
        const Y = this.by[base + k] + f * (this.by[base + k + 1] - this.by[base + k]);
        if (dashed) {
          const sAt = this.bs[base + k] + f * SAMPLE_STEP;
          const phase = (sAt + 15) % this.period;
          if ((phase < 0 ? phase + this.period : phase) >= this.geometry.dashLength) continue;
        }
        const slope = (this.by[base + k + 1] - this.by[base + k]) / (x1 - x0);
        const half = this.halfWidths[b] * Math.sqrt(1 + slope * slope);
        const uLo = Math.max(0, Math.ceil(g.column(Y + half, v) - 0.5));
        const uHi = Math.min(width - 1, Math.floor(g.column(Y - half, v) - 0.5));
        const row = v * width;
        for (let u = uLo; u <= uHi; u++) target[row + u] = 1;
      }
    }
    return target;
  }
}

/** The route pieces `buildTrack` lays out from a preset (same start: origin, heading +x). */
export function trackSegments(preset: TrackPreset): PathSegment[] {
  return preset.segments.map((seg) =>
    seg.kind === "straight"
      ? { length: seg.length, curvature: 0 }
      : { length: (seg.radius * Math.abs(seg.angleDeg) * Math.PI) / 180, curvature: Math.sign(seg.angleDeg) / seg.radius },
  );
}
