/**
 * Triangle setup and coverage for the software renderer.
 *
 * Vertices are snapped to a 1/256-pixel grid (8 sub-pixel bits, as GPUs do) and the edge functions
 * are evaluated in exact integer arithmetic (doubles stay exact below 2^53 for the guard-band sizes
 * the clipper guarantees), so coverage obeys the top-left fill rule exactly: pixels whose centre
 * lies on an edge shared by two triangles belong to exactly one of them.
 */
import { V_SX, V_SY, type VertexBuffer } from "./vertexLayout.ts";

/** Sub-pixel grid resolution (steps per pixel). */
export const SUBPIXEL = 256; // computeSpans relies on this being 2^8

/**
 * Largest |screen coordinate| (pixels, measured from the viewport centre) the rasterizer accepts;
 * the clipper keeps vertices inside this guard band so edge functions remain exact.
 */
export const GUARD_BAND_PIXELS = 8000;

/** Bounding boxes narrower than this many pixel columns are scanned pixel by pixel instead of solved per row. */
const NARROW_COLUMNS = 6;

/**
 * Coverage of one triangle as horizontal spans plus affine attribute planes over the screen.
 * Reused for every triangle: call {@link setup}, then {@link computeSpans}, then {@link plane}.
 */
export class TriangleRasterizer {
  /** Spans found by {@link computeSpans}: row, first and last covered pixel (inclusive). */
  readonly spanY: Int32Array;
  readonly spanX0: Int32Array;
  readonly spanX1: Int32Array;
  spanCount = 0;

  private x0 = 0;
  private y0 = 0;
  private x1 = 0;
  private y1 = 0;
  private x2 = 0;
  private y2 = 0;
  private area2 = 0;
  // Float copies of the snapped vertices (pixels) and 1 / signed doubled area for attribute planes.
  private fx0 = 0;
  private fy0 = 0;
  private e1x = 0;
  private e1y = 0;
  private e2x = 0;
  private e2y = 0;
  private invArea = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.spanY = new Int32Array(height);
    this.spanX0 = new Int32Array(height);
    this.spanX1 = new Int32Array(height);
  }

  /**
   * Take the snapped screen-space vertices at offsets `o0`, `o1`, `o2` of `buf` (shared vertex
   * layout; integers in 1/{@link SUBPIXEL} pixel units, y down) and return the signed doubled area
   * in sub-pixel units: > 0 for triangles that appear counter-clockwise on screen (three.js front
   * faces under the default `frontFace`), < 0 for clockwise ones, 0 for degenerate ones.
   */
  setup(buf: VertexBuffer, o0: number, o1: number, o2: number): number {
    // The guard band keeps these within int32; `| 0` keeps them small integers for the JIT (no −0).
    const x0 = buf[o0 + V_SX] | 0,
      y0 = buf[o0 + V_SY] | 0;
    const x1 = buf[o1 + V_SX] | 0,
      y1 = buf[o1 + V_SY] | 0;
    const x2 = buf[o2 + V_SX] | 0,
      y2 = buf[o2 + V_SY] | 0;
    this.x0 = x0;
    this.y0 = y0;
    this.x1 = x1;
    this.y1 = y1;
    this.x2 = x2;
    this.y2 = y2;
    // Sign chosen so that a visually counter-clockwise triangle (y-down coordinates) is positive.
    const area2 = (x2 - x0) * (y1 - y0) - (x1 - x0) * (y2 - y0);
    this.area2 = area2;
    return area2;
  }

  /** Fill {@link spanY}/{@link spanX0}/{@link spanX1} with the covered pixels; returns the span count. */
  computeSpans(): number {
    let x0 = this.x0,
      y0 = this.y0,
      x1 = this.x1,
      y1 = this.y1;
    const x2 = this.x2,
      y2 = this.y2;
    this.spanCount = 0;
    if (this.area2 === 0) return 0;
    if (this.area2 > 0) {
      // Make the winding the one for which interior edge functions are positive.
      let t = x0;
      x0 = x1;
      x1 = t;
      t = y0;
      y0 = y1;
      y1 = t;
    }
    const W = this.width,
      H = this.height;
    const minY = Math.min(y0, y1, y2),
      maxY = Math.max(y0, y1, y2);
    const minX = Math.min(x0, x1, x2),
      maxX = Math.max(x0, x1, x2);
    const half = SUBPIXEL >> 1;
    // Pixel centres inside the box: ceil((min − half) / SUBPIXEL) … floor((max − half) / SUBPIXEL),
    // as arithmetic shifts (SUBPIXEL = 256; coordinates are int32).
    let rowStart = (minY + half - 1) >> 8;
    let rowEnd = (maxY - half) >> 8;
    let colStart = (minX + half - 1) >> 8;
    let colEnd = (maxX - half) >> 8;
    if (colStart < 0) colStart = 0;
    if (colEnd > W - 1) colEnd = W - 1;
    if (rowStart < 0) rowStart = 0;
    if (rowEnd > H - 1) rowEnd = H - 1;
    if (rowStart > rowEnd || colStart > colEnd) return 0;

    // Edge i: E(px, py) = A·px + B·py + C ≥ bias, bias 0 on top/left edges and 1 elsewhere.
    const A0 = y0 - y1,
      B0 = x1 - x0,
      C0 = x0 * y1 - x1 * y0;
    const A1 = y1 - y2,
      B1 = x2 - x1,
      C1 = x1 * y2 - x2 * y1;
    const A2 = y2 - y0,
      B2 = x0 - x2,
      C2 = x2 * y0 - x0 * y2;
    const bias0 = A0 > 0 || (A0 === 0 && B0 > 0) ? 0 : 1;
    const bias1 = A1 > 0 || (A1 === 0 && B1 > 0) ? 0 : 1;
    const bias2 = A2 > 0 || (A2 === 0 && B2 > 0) ? 0 : 1;
    let n = 0;
    const a0 = A0 * SUBPIXEL,
      a1 = A1 * SUBPIXEL,
      a2 = A2 * SUBPIXEL;
    if (colEnd - colStart < NARROW_COLUMNS) {
      // Small triangles (most of a distant scene): test each pixel centre of the box directly.
      for (let y = rowStart; y <= rowEnd; y++) {
        const py = y * SUBPIXEL + half;
        let e0 = A0 * half + B0 * py + C0 + a0 * colStart;
        let e1 = A1 * half + B1 * py + C1 + a1 * colStart;
        let e2 = A2 * half + B2 * py + C2 + a2 * colStart;
        let xa = -1,
          xb = -2;
        for (let x = colStart; x <= colEnd; x++, e0 += a0, e1 += a1, e2 += a2) {
          if (e0 >= bias0 && e1 >= bias1 && e2 >= bias2) {
            if (xa < 0) xa = x;
            xb = x;
          }
        }
        if (xa >= 0) {
          this.spanY[n] = y;
          this.spanX0[n] = xa;
          this.spanX1[n] = xb;
          n++;
        }
      }
      this.spanCount = n;
      return n;
    }
    for (let y = rowStart; y <= rowEnd; y++) {
      const py = y * SUBPIXEL + half;
      let xa = colStart,
        xb = colEnd;
      // In pixel units: E(x) = a·x + k with a = A·SUBPIXEL, k = A·half + B·py + C.
      const k0 = A0 * half + B0 * py + C0,
        k1 = A1 * half + B1 * py + C1,
        k2 = A2 * half + B2 * py + C2;
      let lo = edgeLow(a0, k0, bias0);
      if (lo > xa) xa = lo;
      let hi = edgeHigh(a0, k0, bias0);
      if (hi < xb) xb = hi;
      lo = edgeLow(a1, k1, bias1);
      if (lo > xa) xa = lo;
      hi = edgeHigh(a1, k1, bias1);
      if (hi < xb) xb = hi;
      lo = edgeLow(a2, k2, bias2);
      if (lo > xa) xa = lo;
      hi = edgeHigh(a2, k2, bias2);
      if (hi < xb) xb = hi;
      if (xa <= xb) {
        this.spanY[n] = y;
        this.spanX0[n] = xa;
        this.spanX1[n] = xb;
        n++;
      }
    }
    this.spanCount = n;
    return n;
  }

  /** Prepare {@link plane} for the current triangle (call once, after {@link computeSpans} found pixels). */
  prepareInterpolation(): void {
    const x0 = this.x0,
      y0 = this.y0;
    this.fx0 = x0 / SUBPIXEL;
    this.fy0 = y0 / SUBPIXEL;
    this.e1x = (this.x1 - x0) / SUBPIXEL;
    this.e1y = (this.y1 - y0) / SUBPIXEL;
    this.e2x = (this.x2 - x0) / SUBPIXEL;
    this.e2y = (this.y2 - y0) / SUBPIXEL;
    this.invArea = 1 / (this.e1x * this.e2y - this.e2x * this.e1y);
  }

  /**
   * Affine plane of an attribute with values a0, a1, a2 at the (snapped) vertices:
   * writes value at pixel (0, 0)'s centre, d/dx and d/dy to `out[o..o+2]`.
   */
  plane(a0: number, a1: number, a2: number, out: Float64Array, o: number): void {
    const d1 = a1 - a0,
      d2 = a2 - a0;
    const ddx = (d1 * this.e2y - d2 * this.e1y) * this.invArea;
    const ddy = (d2 * this.e1x - d1 * this.e2x) * this.invArea;
    out[o] = a0 + ddx * (0.5 - this.fx0) + ddy * (0.5 - this.fy0);
    out[o + 1] = ddx;
    out[o + 2] = ddy;
  }
}

/**
 * Whether the box [minX, maxX] × [minY, maxY] (snapped sub-pixel units, as {@link TriangleRasterizer.setup}
 * reads them) contains a pixel centre; when not, no triangle inside it covers a pixel
 * (same centre rule as {@link TriangleRasterizer.computeSpans}).
 */
export function boxHasPixelCentre(minX: number, maxX: number, minY: number, maxY: number): boolean {
  const half = SUBPIXEL >> 1;
  return (minX + half - 1) >> 8 <= (maxX - half) >> 8 && (minY + half - 1) >> 8 <= (maxY - half) >> 8;
}

/** Smallest integer x with a·x + k ≥ bias (−∞ as −2^30 when the edge does not bound from the left). */
function edgeLow(a: number, k: number, bias: number): number {
  if (a > 0) {
    let x = Math.ceil((bias - k) / a);
    while (a * x + k < bias) x++;
    while (a * (x - 1) + k >= bias) x--;
    return x;
  }
  if (a === 0) return k >= bias ? -0x40000000 : 0x40000000;
  return -0x40000000;
}

/** Largest integer x with a·x + k ≥ bias (+2^30 when the edge does not bound from the right). */
function edgeHigh(a: number, k: number, bias: number): number {
  if (a < 0) {
    let x = Math.floor((k - bias) / -a);
    while (a * x + k < bias) x--;
    while (a * (x + 1) + k >= bias) x++;
    return x;
  }
  if (a === 0) return k >= bias ? 0x40000000 : -0x40000000;
  return 0x40000000;
}
