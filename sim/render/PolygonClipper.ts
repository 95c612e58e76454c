import { GUARD_BAND_PIXELS, SUBPIXEL } from "./rasterizer.ts";
import { V_CW, V_CX, V_CY, V_CZ, V_Q, V_STRIDE, V_SX, V_SY, type VertexBuffer } from "./vertexLayout.ts";

/** Outcode bits of a clip-space vertex (see {@link outcode}). */
export const OUT_LEFT = 1;
export const OUT_RIGHT = 2;
export const OUT_BOTTOM = 4;
export const OUT_TOP = 8;
export const OUT_NEAR = 16;
export const OUT_FAR = 32;
export const OUT_GUARD = 64;
/** Bits that force a triangle through the clipper rather than straight to the rasterizer. */
export const NEEDS_CLIP = OUT_NEAR | OUT_FAR | OUT_GUARD;
/** Bits for which "all three vertices outside" means the triangle is invisible. */
export const VIEW_VOLUME = OUT_LEFT | OUT_RIGHT | OUT_BOTTOM | OUT_TOP | OUT_NEAR | OUT_FAR;

const MAX_POLY = 12;

/**
 * Sutherland–Hodgman clipping of triangles in homogeneous clip space against the near and far
 * planes and a guard band around the viewport (so screen coordinates stay small enough for exact
 * fixed-point edge functions), followed by the perspective divide. Every attribute of the vertex
 * layout is interpolated linearly in clip space, which is the perspective-correct choice.
 */
export class PolygonClipper {
  /** Output polygon after {@link clip}: {@link count} vertices with the shared layout. */
  readonly out: VertexBuffer = new Float32Array(MAX_POLY * V_STRIDE);
  count = 0;
  private readonly tmp: VertexBuffer = new Float32Array(MAX_POLY * V_STRIDE);
  /** Guard band half-extent in NDC units, per axis. */
  private readonly gx: number;
  private readonly gy: number;

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.gx = (2 * GUARD_BAND_PIXELS) / width;
    this.gy = (2 * GUARD_BAND_PIXELS) / height;
  }

  /**
   * Outcode of the clip-space vertex at `buf[o]`: view-volume bits plus {@link OUT_GUARD} outside the
   * guard band. (Takes the buffer rather than four numbers so hot callers pass no boxed doubles.)
   */
  outcode(buf: VertexBuffer, o: number): number {
    const x = buf[o + V_CX],
      y = buf[o + V_CY],
      z = buf[o + V_CZ],
      w = buf[o + V_CW];
    let c = 0;
    if (x < -w) c |= OUT_LEFT;
    if (x > w) c |= OUT_RIGHT;
    if (y < -w) c |= OUT_BOTTOM;
    if (y > w) c |= OUT_TOP;
    if (z < -w) c |= OUT_NEAR;
    if (z > w) c |= OUT_FAR;
    const gw = this.gx * w,
      gh = this.gy * w;
    if (x < -gw || x > gw || y < -gh || y > gh) c |= OUT_GUARD;
    return c;
  }

  /** Snapped screen position and q = 1/w of the vertex at `buf[o]` (requires w > 0, inside the guard band). */
  project(buf: VertexBuffer, o: number): void {
    const q = 1 / buf[o + V_CW];
    buf[o + V_Q] = q;
    buf[o + V_SX] = Math.round((buf[o + V_CX] * q * 0.5 + 0.5) * this.width * SUBPIXEL);
    buf[o + V_SY] = Math.round((0.5 - buf[o + V_CY] * q * 0.5) * this.height * SUBPIXEL);
  }

  /**
   * Clip the triangle whose vertices start at `src[o0]`, `src[o1]`, `src[o2]`; the result (a convex
   * polygon, projected) is in {@link out}. Returns the vertex count (0 when nothing remains).
   */
  clip(src: VertexBuffer, o0: number, o1: number, o2: number): number {
    let a = this.out,
      b = this.tmp;
    copyVertex(src, o0, a, 0);
    copyVertex(src, o1, a, V_STRIDE);
    copyVertex(src, o2, a, 2 * V_STRIDE);
    let n = 3;
    // Plane k: dot = sx·x + sy·y + sz·z + sw·w ≥ 0.
    for (let plane = 0; plane < 6 && n > 0; plane++) {
      n = this.clipPlane(a, n, b, plane);
      const t = a;
      a = b;
      b = t;
    }
    if (a !== this.out) for (let i = 0; i < n; i++) copyVertex(a, i * V_STRIDE, this.out, i * V_STRIDE);
    for (let i = 0; i < n; i++) this.project(this.out, i * V_STRIDE);
    this.count = n;
    return n;
  }

  private distance(buf: VertexBuffer, o: number, plane: number): number {
    const x = buf[o + V_CX],
      y = buf[o + V_CY],
      z = buf[o + V_CZ],
      w = buf[o + V_CW];
    switch (plane) {
      case 0:
        return z + w; // near
      case 1:
        return w - z; // far
      case 2:
        return this.gx * w + x; // guard left
      case 3:
        return this.gx * w - x; // guard right
      case 4:
        return this.gy * w + y; // guard bottom
      default:
        return this.gy * w - y; // guard top
    }
  }

  private clipPlane(src: VertexBuffer, n: number, dst: VertexBuffer, plane: number): number {
    let m = 0;
    let prev = (n - 1) * V_STRIDE;
    let dPrev = this.distance(src, prev, plane);
    for (let i = 0; i < n; i++) {
      const cur = i * V_STRIDE;
      const dCur = this.distance(src, cur, plane);
      if (dPrev >= 0 !== dCur >= 0) {
        const t = dPrev / (dPrev - dCur);
        const o = m * V_STRIDE;
        for (let k = 0; k < V_STRIDE; k++) dst[o + k] = src[prev + k] + t * (src[cur + k] - src[prev + k]);
        m++;
      }
      if (dCur >= 0) {
        copyVertex(src, cur, dst, m * V_STRIDE);
        m++;
      }
      prev = cur;
      dPrev = dCur;
    }
    return m;
  }
}

function copyVertex(src: VertexBuffer, os: number, dst: VertexBuffer, od: number): void {
  for (let k = 0; k < V_STRIDE; k++) dst[od + k] = src[os + k];
}
