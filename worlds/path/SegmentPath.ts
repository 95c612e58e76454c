/** One piece of a {@link SegmentPath}: a straight (`curvature` 0) or a circular arc. */
export interface PathSegment {
  /** Arc length of the piece (m), > 0. */
  length: number;
  /** Signed curvature (1/m): > 0 turns left (CCW), < 0 turns right, 0 is straight. */
  curvature: number;
}

/** Output of {@link SegmentPath.sample}: a point on (or beside) the path and the tangent there. */
export interface PathPoint {
  x: number;
  y: number;
  /** Tangent direction (rad, CCW from +x) of the path at that arc length. */
  yaw: number;
  /** Signed curvature (1/m) of the path at that arc length. */
  curvature: number;
}

/** Output of {@link SegmentPath.project}: where a point lies relative to the path. */
export interface PathProjection {
  /** Arc length of the closest path point (m); < 0 before the start, > length past the end. */
  s: number;
  /** Signed lateral offset (m) of the point from the path: > 0 to the left of the direction of travel. */
  lateral: number;
  /** Tangent direction (rad) at `s`. */
  yaw: number;
  /** Signed curvature (1/m) at `s`. */
  curvature: number;
}

/**
 * A planar path made of straights and circular arcs, parameterised by arc
 * length. Offset curves (rows, lanes, road edges) are points at a constant
 * `lateral` offset; for arcs these are concentric circles, so {@link project}
 * is exact for them, not an approximation.
 *
 * Queries write into caller-provided `target` objects and allocate nothing.
 */
export class SegmentPath {
  /** Total arc length (m). */
  readonly length: number;
  private readonly n: number;
  private readonly s0: Float64Array;
  private readonly len: Float64Array;
  private readonly k: Float64Array;
  private readonly x0: Float64Array;
  private readonly y0: Float64Array;
  private readonly yaw0: Float64Array;

  /**
   * @param segments the pieces, in order of travel.
   * @param start pose of the path's first point (default: origin, heading +x).
   */
  constructor(segments: readonly PathSegment[], start: { x: number; y: number; yaw: number } = { x: 0, y: 0, yaw: 0 }) {
    if (segments.length === 0) throw new Error("SegmentPath needs at least one segment");
    const n = segments.length;
    this.n = n;
    this.s0 = new Float64Array(n);
    this.len = new Float64Array(n);
    this.k = new Float64Array(n);
    this.x0 = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.yaw0 = new Float64Array(n);
    let x = start.x;
    let y = start.y;
    let yaw = start.yaw;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const { length, curvature } = segments[i];
      if (!(length > 0)) throw new Error(`SegmentPath: segment ${i} has length ${length}`);
      this.s0[i] = s;
      this.len[i] = length;
      this.k[i] = curvature;
      this.x0[i] = x;
      this.y0[i] = y;
      this.yaw0[i] = yaw;
      const end = segmentPoint(x, y, yaw, curvature, length, 0);
      x = end.x;
      y = end.y;
      yaw += curvature * length;
      s += length;
    }
    this.length = s;
  }

  /**
   * The point at arc length `s` shifted `lateral` metres to the left of the path
   * (extrapolated along the first/last piece outside [0, length]).
   */
  sample(s: number, lateral: number, target: PathPoint): PathPoint {
    const i = this.segmentAt(s);
    const u = s - this.s0[i];
    const k = this.k[i];
    const p = segmentPoint(this.x0[i], this.y0[i], this.yaw0[i], k, u, lateral);
    target.x = p.x;
    target.y = p.y;
    target.yaw = this.yaw0[i] + k * u;
    target.curvature = k;
    return target;
  }

  /** Closest point of the path to (x, y); see {@link PathProjection}. */
  project(x: number, y: number, target: PathProjection): PathProjection {
    let best = Infinity;
    for (let i = 0; i < this.n; i++) {
      const k = this.k[i];
      const len = this.len[i];
      const c = Math.cos(this.yaw0[i]);
      const sn = Math.sin(this.yaw0[i]);
      let u: number;
      let lat: number;
      if (k === 0) {
        const rx = x - this.x0[i];
        const ry = y - this.y0[i];
        u = rx * c + ry * sn;
        lat = c * ry - sn * rx;
      } else {
        const r0 = 1 / k;
        const cx = this.x0[i] - sn * r0;
        const cy = this.y0[i] + c * r0;
        const vx = x - cx;
        const vy = y - cy;
        const r = Math.hypot(vx, vy);
        // Angle swept from the segment start, measured in the direction of travel.
        const phi0 = Math.atan2(this.y0[i] - cy, this.x0[i] - cx);
        let d = (Math.atan2(vy, vx) - phi0) * Math.sign(k);
        d -= 2 * Math.PI * Math.floor(d / (2 * Math.PI));
        const sweep = len * Math.abs(k);
        if (d > sweep + (2 * Math.PI - sweep) / 2) d -= 2 * Math.PI;
        u = d / Math.abs(k);
        lat = Math.sign(k) * (Math.abs(r0) - r);
      }
      const first = i === 0;
      const last = i === this.n - 1;
      let dist: number;
      if ((u >= 0 || first) && (u <= len || last)) {
        dist = Math.abs(lat);
      } else {
        const ue = u < 0 ? 0 : len;
        const e = segmentPoint(this.x0[i], this.y0[i], this.yaw0[i], k, ue, 0);
        dist = Math.hypot(x - e.x, y - e.y);
      }
      if (dist < best) {
        best = dist;
        target.s = this.s0[i] + u;
        target.lateral = lat;
        target.yaw = this.yaw0[i] + k * u;
        target.curvature = k;
      }
    }
    return target;
  }

  /** Curvature (1/m) at arc length `s`. */
  curvatureAt(s: number): number {
    return this.k[this.segmentAt(s)];
  }

  /** Index of the piece containing arc length `s` (first/last outside the path). */
  private segmentAt(s: number): number {
    let i = 0;
    while (i < this.n - 1 && s >= this.s0[i + 1]) i++;
    return i;
  }
}

const _pt = { x: 0, y: 0 };

/** Point at arc length u along a piece starting at (x0, y0, yaw0), shifted `lat` to the left. Returns a shared scratch object. */
function segmentPoint(x0: number, y0: number, yaw0: number, k: number, u: number, lat: number): { x: number; y: number } {
  const yaw = yaw0 + k * u;
  let x: number;
  let y: number;
  if (k === 0) {
    x = x0 + Math.cos(yaw0) * u;
    y = y0 + Math.sin(yaw0) * u;
  } else {
    x = x0 + (Math.sin(yaw) - Math.sin(yaw0)) / k;
    y = y0 - (Math.cos(yaw) - Math.cos(yaw0)) / k;
  }
  _pt.x = x - Math.sin(yaw) * lat;
  _pt.y = y + Math.cos(yaw) * lat;
  return _pt;
}
