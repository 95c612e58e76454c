import { check } from "../../common/index.ts";
import type { GroundProjection } from "./GroundProjection.ts";
import type { LaneGeometry } from "./LaneGeometry.ts";
import { robustQuadraticFit, type QuadraticFit } from "./robustQuadraticFit.ts";

/**
 * The lane relative to the vehicle at its front axle, in the simulator's
 * `laneFrame` convention (so oracle and estimate compare directly).
 */
export interface LaneEstimate {
  /** Lateral offset (m) of the front axle from the lane centre; > 0 when left of it. */
  crossTrack: number;
  /** Vehicle yaw − lane tangent at the front axle (rad). */
  headingError: number;
  /** Lane centre curvature (1/m) at the front axle; > 0 turning left. */
  curvature: number;
  /** Which lines were found in this mask. */
  left: boolean;
  right: boolean;
  /** True when neither line was found and the previous estimate is being held. */
  held: boolean;
}

/** Options of {@link LanePostProcessor}. */
export interface LanePostProcessorOptions {
  /** Front axle ahead of the vehicle's pose origin (m). The GEM e2 pose is the body centre, midway between axles 1.75 m apart. @default 0.875 */
  frontAxleX?: number;
  /** A run of lit pixels in a row wider than this on the ground (m) is a blob, not a line. @default 0.8 */
  maxRunWidth?: number;
  /** Points farther than this from a line's prediction (m) are not assigned to it. @default 1.2 */
  gate?: number;
  /**
   * Fewest run-centre points (one per mask row) for a line to count as found. A LaneNet's 32-row mask
   * has few rows beyond 7 m, so at a gap between worn dashes a line seen 7–25 m ahead spans only five
   * rows; at 6 the zoo LaneNets lost such lines for 20 frames and hit cones on 1–3 of 40 random tracks,
   * at 5 none did (4 lets the cart leave its lane more often). @default 5
   */
  minPoints?: number;
  /** Shortest forward extent (m) of a line's points, up to its second-farthest point, for it to count as found. @default 2 */
  minSpan?: number;
  /** Ridge weight pulling the fitted curvature toward the previous one (see {@link robustQuadraticFit}). @default 10 */
  curvatureRidge?: number;
  /** Masks in a row with no line before the held estimate is dropped back to "centred". @default 20 */
  maxHeldFrames?: number;
  /** Gate-and-fit passes per mask. @default 2 */
  passes?: number;
}

/** Curvature ridge of the joint two-line fit relative to a single line's (see `fitJoint`). */
const JOINT_RIDGE_SCALE = 0.1;

/**
 * Turns a binary lane mask (H×W, row-major, non-zero = lane marking; the
 * LaneNet output format) into a {@link LaneEstimate}:
 *
 * 1. **Clean**: a lit pixel with no lit 8-neighbour is dropped (salt noise);
 *    each remaining row run becomes one point at its centre; runs wider than
 *    `maxRunWidth` on the ground are dropped (blobs).
 * 2. **Bird's-eye view**: run centres are projected to the ground plane with
 *    the camera intrinsics and mount ({@link GroundProjection}).
 * 3. **Assign**: points within `gate` of the predicted left/right line (from
 *    the previous estimate) go to that line; lines of other lanes fall outside.
 * 4. **Robust fit**: each line y = a + b·x + c·x² by IRLS with Tukey weights;
 *    steps 3–4 run `passes` times, re-gating around the new fit.
 * 5. **Combine**: each found line gives the lane centre by its known offset
 *    ({@link LaneGeometry}); both found → average; one → that one alone
 *    (offset from the other line by the lane width); neither alone → both
 *    lines' points, shifted by their offsets, fitted together as samples of
 *    the centre curve; still none → hold the last estimate for up to
 *    `maxHeldFrames` masks.
 * 6. Cross-track and heading error of the centre curve at the front axle.
 */
export class LanePostProcessor {
  readonly ground: GroundProjection;
  private readonly lane: LaneGeometry;
  private readonly frontAxleX: number;
  private readonly maxRunWidth: number;
  private readonly gate: number;
  private readonly minPoints: number;
  private readonly minSpan: number;
  private readonly ridge: number;
  private readonly maxHeld: number;
  private readonly passes: number;
  private readonly xs: Float64Array;
  private readonly ysAll: Float64Array;
  private readonly lx: Float64Array;
  private readonly ly: Float64Array;
  private readonly rx: Float64Array;
  private readonly ry: Float64Array;
  private readonly jx: Float64Array;
  private readonly jy: Float64Array;
  private readonly work: Float64Array;
  private readonly fitL: QuadraticFit = { a: 0, b: 0, c: 0, inliers: 0, scale: 0 };
  private readonly fitR: QuadraticFit = { a: 0, b: 0, c: 0, inliers: 0, scale: 0 };
  private readonly fitJ: QuadraticFit = { a: 0, b: 0, c: 0, inliers: 0, scale: 0 };
  /** Lane centre y = ca + cb·x + cc·x² in the vehicle frame, from the last estimate. */
  private ca = 0;
  private cb = 0;
  private cc = 0;
  private heldFrames = 0;
  private readonly estimate: LaneEstimate = { crossTrack: 0, headingError: 0, curvature: 0, left: false, right: false, held: false };

  constructor(ground: GroundProjection, lane: LaneGeometry, opts: LanePostProcessorOptions = {}) {
    this.ground = ground;
    this.lane = lane;
    this.frontAxleX = opts.frontAxleX ?? 0.875;
    this.maxRunWidth = opts.maxRunWidth ?? 0.8;
    this.gate = opts.gate ?? 1.2;
    this.minPoints = opts.minPoints ?? 5;
    this.minSpan = opts.minSpan ?? 2;
    this.ridge = opts.curvatureRidge ?? 10;
    this.maxHeld = opts.maxHeldFrames ?? 20;
    this.passes = Math.max(1, opts.passes ?? 2);
    const cap = ground.camera.height * Math.ceil(ground.camera.width / 2);
    this.xs = new Float64Array(cap);
    this.ysAll = new Float64Array(cap);
    this.lx = new Float64Array(cap);
    this.ly = new Float64Array(cap);
    this.rx = new Float64Array(cap);
    this.ry = new Float64Array(cap);
    this.jx = new Float64Array(cap);
    this.jy = new Float64Array(cap);
    this.work = new Float64Array(cap);
  }

  /** Forgets the previous estimate (the vehicle is assumed centred and aligned). */
  reset(): void {
    this.ca = this.cb = this.cc = 0;
    this.heldFrames = 0;
  }

  /**
   * Estimates the lane from `mask`. The returned object is reused by the next call.
   * @throws InputError when the mask size does not match the camera model.
   */
  process(mask: Uint8Array): LaneEstimate {
    const { width, height } = this.ground.camera;
    check(mask.length === width * height, "lane mask", () => `expected ${width}×${height} = ${width * height} pixels, got ${mask.length}`);
    const n = this.collect(mask, width, height);
    const { leftLine, rightLine } = this.lane;
    let left = false;
    let right = false;
    // Each pass gates the points around the current centre curve and refits; the second pass
    // picks up the far points of a curve the previous frame's (straighter) prediction gated out.
    // A pass that finds nothing ends the loop and leaves the lines (and centre curve) of the pass before.
    for (let pass = 0; pass < this.passes; pass++) {
      let nl = 0;
      let nr = 0;
      for (let i = 0; i < n; i++) {
        const x = this.xs[i];
        const y = this.ysAll[i];
        const centre = this.ca + this.cb * x + this.cc * x * x;
        if (Math.abs(y - (centre + leftLine)) < this.gate) {
          this.lx[nl] = x;
          this.ly[nl++] = y;
        } else if (Math.abs(y - (centre + rightLine)) < this.gate) {
          this.rx[nr] = x;
          this.ry[nr++] = y;
        }
      }
      const foundLeft = this.fitLine(this.lx, this.ly, nl, leftLine, this.fitL);
      const foundRight = this.fitLine(this.rx, this.ry, nr, rightLine, this.fitR);
      if (!foundLeft && !foundRight) {
        if (!this.fitJoint(nl, nr)) break;
        left = right = true;
        this.ca = this.fitJ.a;
        this.cb = this.fitJ.b;
        this.cc = this.fitJ.c;
        continue;
      }
      left = foundLeft;
      right = foundRight;
      // Centre curve from each found line; both → mean.
      let a = 0;
      let b = 0;
      let c = 0;
      let k = 0;
      if (foundLeft) {
        a += this.fitL.a - leftLine;
        b += this.fitL.b;
        c += this.fitL.c;
        k++;
      }
      if (foundRight) {
        a += this.fitR.a - rightLine;
        b += this.fitR.b;
        c += this.fitR.c;
        k++;
      }
      this.ca = a / k;
      this.cb = b / k;
      this.cc = c / k;
    }
    const est = this.estimate;
    if (left || right) {
      this.heldFrames = 0;
      est.held = false;
    } else {
      this.heldFrames++;
      est.held = true;
      if (this.heldFrames > this.maxHeld) this.reset();
    }
    est.left = left;
    est.right = right;
    const xf = this.frontAxleX;
    const yc = this.ca + this.cb * xf + this.cc * xf * xf;
    const slope = this.cb + 2 * this.cc * xf;
    est.headingError = -Math.atan(slope);
    est.crossTrack = -yc * Math.cos(est.headingError);
    est.curvature = (2 * this.cc) / Math.pow(1 + slope * slope, 1.5);
    return est;
  }

  /**
   * Neither line alone is enough, but together they may be: in a tight curve a LaneNet sees one line only
   * near the cart and the other only far ahead. Both lines run parallel to the centre curve, so their
   * points, shifted by their offsets, are samples of it; fitted together they span what neither does.
   * Needs at least two points of each line, so that one line alone never decides. The curvature ridge is a
   * tenth of a single line's: these points reach from the near to the far field, so they determine the
   * curvature, and at the full ridge a curve entry came out as a slope error (0.5 m of cross-track).
   */
  private fitJoint(nl: number, nr: number): boolean {
    if (nl < 2 || nr < 2) return false;
    const { leftLine, rightLine } = this.lane;
    for (let i = 0; i < nl; i++) {
      this.jx[i] = this.lx[i];
      this.jy[i] = this.ly[i] - leftLine;
    }
    for (let i = 0; i < nr; i++) {
      this.jx[nl + i] = this.rx[i];
      this.jy[nl + i] = this.ry[i] - rightLine;
    }
    return this.fitLine(this.jx, this.jy, nl + nr, 0, this.fitJ, JOINT_RIDGE_SCALE);
  }

  /** Run centres of the cleaned mask, projected to the ground; returns their count. */
  private collect(mask: Uint8Array, width: number, height: number): number {
    const g = this.ground;
    let n = 0;
    const words = mask.byteOffset % 4 === 0 && width % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : undefined;
    for (let v = g.firstRow; v < height; v++) {
      const X = g.rowX[v];
      if (Number.isNaN(X)) continue;
      const maxRun = this.maxRunWidth / g.rowLat[v];
      const row = v * width;
      let u = 0;
      while (u < width) {
        // Most of a row is empty: skip 4 pixels at a time on aligned words.
        if (words && (u & 3) === 0 && u + 4 <= width && words[(row + u) >> 2] === 0) {
          u += 4;
          continue;
        }
        if (mask[row + u] === 0 || !hasNeighbour(mask, width, height, u, v)) {
          u++;
          continue;
        }
        const start = u;
        let end = u;
        // Extend the run over lit pixels; isolated ones inside still count as part of the run.
        while (end + 1 < width && mask[row + end + 1] !== 0) end++;
        u = end + 1;
        if (end - start + 1 > maxRun) continue;
        this.xs[n] = X;
        this.ysAll[n] = g.lateral((start + end) / 2, v);
        n++;
      }
    }
    return n;
  }

  private fitLine(xs: Float64Array, ys: Float64Array, n: number, offset: number, target: QuadraticFit, ridgeScale = 1): boolean {
    if (n < this.minPoints) return false;
    // The extent ends at the second-farthest point: one far point alone, a stray blob as often as a line,
    // would otherwise decide the slope of a fit whose other points all lie within a metre or two.
    let lo = Infinity;
    let hi = -Infinity;
    let hi2 = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      if (x < lo) lo = x;
      if (x > hi) {
        hi2 = hi;
        hi = x;
      } else if (x > hi2) hi2 = x;
    }
    if (hi2 - lo < this.minSpan) return false;
    const fit = robustQuadraticFit(xs, ys, n, this.work, { ridge: this.ridge * n * ridgeScale, cPrior: this.cc }, target);
    if (!fit || fit.inliers < this.minPoints) return false;
    // A line whose fit strays far from its prediction at the near end latched onto something else.
    const x0 = lo;
    const predicted = this.ca + this.cb * x0 + this.cc * x0 * x0 + offset;
    return Math.abs(fit.a + fit.b * x0 + fit.c * x0 * x0 - predicted) < 2 * this.gate;
  }
}

function hasNeighbour(mask: Uint8Array, width: number, height: number, u: number, v: number): boolean {
  const u0 = u > 0 ? u - 1 : u;
  const u1 = u < width - 1 ? u + 1 : u;
  const v0 = v > 0 ? v - 1 : v;
  const v1 = v < height - 1 ? v + 1 : v;
  for (let vv = v0; vv <= v1; vv++) {
    const row = vv * width;
    for (let uu = u0; uu <= u1; uu++) if ((uu !== u || vv !== v) && mask[row + uu] !== 0) return true;
  }
  return false;
}
