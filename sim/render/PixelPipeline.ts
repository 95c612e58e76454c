import { SRGB_ENCODE_TABLE, SRGB_TABLE_SCALE, linearToSrgb } from "./color.ts";
import { fastLog2 } from "./fastLog2.ts";
import { TriangleRasterizer } from "./rasterizer.ts";
import type { SampledTexture } from "./texture.ts";
import { V_Q, V_R, V_U, V_V, type VertexBuffer } from "./vertexLayout.ts";

const EMPTY_F32 = new Float32Array(0);
const EMPTY_I32 = new Int32Array(0);

/** Fog modes of {@link PixelPipeline.fogMode}. */
export const FOG_NONE = 0;
export const FOG_LINEAR = 1;
export const FOG_EXP2 = 2;

/**
 * Per-pixel half of the software renderer: rasterizes one projected triangle into the RGB8 colour
 * buffer and the depth buffer, replicating three.js's fragment path for Lambert/Basic materials:
 * perspective-correct interpolation, `depthFunc = LessEqualDepth`, `map` sampling and `alphaTest`,
 * `emissive`, linear → sRGB encoding, then fog mixed in sRGB space (three's chunk order).
 *
 * The depth buffer stores q = 1/w (view depth reciprocal; 0 = cleared/infinitely far), so
 * "nearer or equal" is `q ≥ stored`. Material and fog state are plain fields set by the renderer
 * before each draw.
 */
export class PixelPipeline {
  /** RGB8 row-major colour buffer the current frame renders into. */
  color: Uint8Array;
  /** Per-pixel q = 1/w of the nearest surface so far. */
  readonly depth: Float32Array;
  readonly raster: TriangleRasterizer;

  // Material state.
  depthTest = true;
  depthWrite = true;
  colorWrite = true;
  map: SampledTexture | null = null;
  alphaTest = 0;
  opacity = 1;
  emissiveR = 0;
  emissiveG = 0;
  emissiveB = 0;
  /** Per-triangle multiplier applied to vertex colours (flat-shaded lighting); 1 otherwise. */
  scaleR = 1;
  scaleG = 1;
  scaleB = 1;
  // Fog state (fog colour already sRGB-encoded, as three passes it to the shader).
  fogMode = FOG_NONE;
  fogNear = 0;
  fogFar = 0;
  fogDensity = 0;
  fogR = 0;
  fogG = 0;
  fogB = 0;

  private readonly planes = new Float64Array(6 * 3);
  /** Texture sampling parameters in (u, v, lod) and RGBA out, see SampledTexture.sample. */
  private readonly texel = new Float64Array(8);

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.color = new Uint8Array(width * height * 3);
    this.depth = new Float32Array(width * height);
    this.raster = new TriangleRasterizer(width, height);
  }

  /** Fill the colour buffer with the given bytes and reset depth to "infinitely far". */
  clear(r: number, g: number, b: number): void {
    const c = this.color;
    c[0] = r;
    c[1] = g;
    c[2] = b;
    // Doubling copies (memcpy speed) rather than a per-pixel loop.
    for (let filled = 3; filled < c.length; filled *= 2) c.copyWithin(filled, 0, Math.min(filled, c.length - filled));
    this.depth.fill(0);
  }

  /** Draw triangles facing the camera (per the winding rule of the current mesh). */
  drawFront = true;
  /** Draw triangles facing away from the camera. */
  drawBack = false;
  /** Vertex-layout offset of the colour used for front-facing / back-facing triangles. */
  frontColor = V_R;
  backColor = V_R;

  /**
   * Coverage of the triangle from three projected vertices in `buf` (offsets of each vertex).
   * `frontSign` is 1 when counter-clockwise on screen means front-facing (three's default) and −1
   * when the object's world matrix mirrors it. Returns 1 (front-facing) or −1 (back-facing) when the
   * triangle covers pixels and its side is drawn, else 0. On non-zero, call {@link shade} next.
   */
  cover(buf: VertexBuffer, o0: number, o1: number, o2: number, frontSign: number): number {
    const raster = this.raster;
    const area = raster.setup(buf, o0, o1, o2);
    if (area === 0) return 0;
    const front = area * frontSign > 0;
    if (front ? !this.drawFront : !this.drawBack) return 0;
    if (raster.computeSpans() === 0) return 0;
    return front ? 1 : -1;
  }

  /**
   * Shade the pixels found by the last successful {@link cover} of the same vertices, reading the
   * colour for the given facing (1 front, −1 back) from the vertices.
   */
  shade(buf: VertexBuffer, o0: number, o1: number, o2: number, facing: number): void {
    const raster = this.raster;
    raster.prepareInterpolation();
    const colorOffset = facing > 0 ? this.frontColor : this.backColor;

    const P = this.planes;
    const q0 = buf[o0 + V_Q],
      q1 = buf[o1 + V_Q],
      q2 = buf[o2 + V_Q];
    const sr = this.scaleR,
      sg = this.scaleG,
      sb = this.scaleB;
    raster.plane(q0, q1, q2, P, 0);
    raster.plane(buf[o0 + colorOffset] * sr * q0, buf[o1 + colorOffset] * sr * q1, buf[o2 + colorOffset] * sr * q2, P, 3);
    raster.plane(buf[o0 + colorOffset + 1] * sg * q0, buf[o1 + colorOffset + 1] * sg * q1, buf[o2 + colorOffset + 1] * sg * q2, P, 6);
    raster.plane(buf[o0 + colorOffset + 2] * sb * q0, buf[o1 + colorOffset + 2] * sb * q1, buf[o2 + colorOffset + 2] * sb * q2, P, 9);
    const map = this.map;
    if (map !== null) {
      raster.plane(buf[o0 + V_U] * q0, buf[o1 + V_U] * q1, buf[o2 + V_U] * q2, P, 12);
      raster.plane(buf[o0 + V_V] * q0, buf[o1 + V_V] * q1, buf[o2 + V_V] * q2, P, 15);
    }
    const qdx = P[1],
      qdy = P[2];
    const rdx = P[4],
      gdx = P[7],
      bdx = P[10];
    const udx = P[13],
      udy = P[14],
      vdx = P[16],
      vdy = P[17];
    const texW = map !== null ? map.width : 0,
      texH = map !== null ? map.height : 0;
    const texel = this.texel;
    // Inline trilinear fetch for the tiled-ground texture (see SampledTexture.trilinearRepeat):
    // same arithmetic in the same order as SampledTexture.sample, without two calls per pixel.
    const inlineMap = map !== null && map.trilinearRepeat;
    const texels = map !== null ? map.texels : EMPTY_F32;
    const offsets = map !== null ? map.offsets : EMPTY_I32;
    const widths = map !== null ? map.widths : EMPTY_I32;
    const heights = map !== null ? map.heights : EMPTY_I32;
    const maxLevel = offsets.length - 1;
    const uvLimit = map !== null ? map.maskUvLimit : 0;

    const color = this.color,
      depth = this.depth,
      W = this.width;
    const depthTest = this.depthTest,
      depthWrite = this.depthWrite,
      colorWrite = this.colorWrite;
    const alphaTest = this.alphaTest,
      opacity = this.opacity;
    const er = this.emissiveR,
      eg = this.emissiveG,
      eb = this.emissiveB;
    const fogNear = this.fogNear,
      fogSpan = this.fogFar - this.fogNear;
    // Linear fog is exactly zero nearer than fogNear; skip it for triangles wholly in front of it.
    const fogMode = this.fogMode === FOG_LINEAR && 1 / Math.min(q0, q1, q2) <= fogNear ? FOG_NONE : this.fogMode;
    const fogD2 = this.fogDensity * this.fogDensity;
    const fr = this.fogR,
      fg = this.fogG,
      fb = this.fogB;
    const table = SRGB_ENCODE_TABLE;
    const spanY = raster.spanY,
      spanX0 = raster.spanX0,
      spanX1 = raster.spanX1;

    for (let s = 0, n = raster.spanCount; s < n; s++) {
      const y = spanY[s],
        xa = spanX0[s],
        xb = spanX1[s];
      let q = P[0] + qdx * xa + qdy * y;
      let R = P[3] + rdx * xa + P[5] * y;
      let G = P[6] + gdx * xa + P[8] * y;
      let B = P[9] + bdx * xa + P[11] * y;
      let U = P[12] + udx * xa + udy * y;
      let V = P[15] + vdx * xa + vdy * y;
      let idx = y * W + xa;
      let lodPair = -1,
        lod = 0;
      for (let x = xa; x <= xb; x++, idx++, q += qdx, R += rdx, G += gdx, B += bdx, U += udx, V += vdx) {
        const qf = Math.fround(q);
        if (depthTest && qf < depth[idx]) continue;
        const w = 1 / q;
        let r = R * w,
          g = G * w,
          b = B * w;
        if (map !== null) {
          const u = U * w,
            v = V * w;
          // One level of detail per horizontal pixel pair, as GPUs use one per 2×2 quad.
          if (x >> 1 !== lodPair) {
            lodPair = x >> 1;
            const dudx = (udx - u * qdx) * w * texW,
              dvdx = (vdx - v * qdx) * w * texH;
            const dudy = (udy - u * qdy) * w * texW,
              dvdy = (vdy - v * qdy) * w * texH;
            const rx = dudx * dudx + dvdx * dvdx,
              ry = dudy * dudy + dvdy * dvdy;
            lod = 0.5 * fastLog2(rx > ry ? rx : ry);
          }
          if (inlineMap && u > -uvLimit && u < uvLimit && v > -uvLimit && v < uvLimit) {
            if (opacity < alphaTest) continue;
            let level: number, levels: number, weight: number, f: number;
            if (lod <= 0) {
              level = 0;
              levels = 1;
              weight = 1;
              f = 0;
            } else if (lod >= maxLevel) {
              level = maxLevel;
              levels = 1;
              weight = 1;
              f = 0;
            } else {
              level = Math.floor(lod);
              levels = 2;
              f = lod - level;
              weight = 1 - f;
            }
            let tr = 0,
              tg = 0,
              tb = 0;
            for (let k = 0; k < levels; k++, level++, weight = f) {
              const base = offsets[level],
                tw = widths[level],
                th = heights[level];
              const tx = u * tw - 0.5,
                ty = v * th - 0.5;
              const x0 = Math.floor(tx),
                y0 = Math.floor(ty);
              const fx = tx - x0,
                fy = ty - y0;
              const i0 = x0 & (tw - 1),
                i1 = (i0 + 1) & (tw - 1);
              const j0 = y0 & (th - 1);
              const r0 = j0 * tw,
                r1 = ((j0 + 1) & (th - 1)) * tw;
              const gx = 1 - fx,
                gy = 1 - fy;
              const w00 = weight * gx * gy,
                w10 = weight * fx * gy,
                w01 = weight * gx * fy,
                w11 = weight * fx * fy;
              const ta = base + (r0 + i0) * 4,
                tb4 = base + (r0 + i1) * 4,
                tc = base + (r1 + i0) * 4,
                td = base + (r1 + i1) * 4;
              tr += w00 * texels[ta] + w10 * texels[tb4] + w01 * texels[tc] + w11 * texels[td];
              tg += w00 * texels[ta + 1] + w10 * texels[tb4 + 1] + w01 * texels[tc + 1] + w11 * texels[td + 1];
              tb += w00 * texels[ta + 2] + w10 * texels[tb4 + 2] + w01 * texels[tc + 2] + w11 * texels[td + 2];
            }
            r *= tr;
            g *= tg;
            b *= tb;
          } else {
            texel[0] = u;
            texel[1] = v;
            texel[2] = lod;
            map.sample(texel);
            if (texel[6] * opacity < alphaTest) continue;
            r *= texel[3];
            g *= texel[4];
            b *= texel[5];
          }
        } else if (opacity < alphaTest) {
          continue;
        }
        r += er;
        g += eg;
        b += eb;
        // linearToOutputTexel; values above 1 are not clamped before fog, as in three's shader.
        r = r <= 0 ? 0 : r <= 1 ? table[(r * SRGB_TABLE_SCALE + 0.5) | 0] : linearToSrgb(r);
        g = g <= 0 ? 0 : g <= 1 ? table[(g * SRGB_TABLE_SCALE + 0.5) | 0] : linearToSrgb(g);
        b = b <= 0 ? 0 : b <= 1 ? table[(b * SRGB_TABLE_SCALE + 0.5) | 0] : linearToSrgb(b);
        if (fogMode !== 0) {
          let f: number;
          if (fogMode === 1) {
            let t = (w - fogNear) / fogSpan;
            t = t <= 0 ? 0 : t >= 1 ? 1 : t;
            f = t * t * (3 - 2 * t);
          } else {
            f = 1 - Math.exp(-fogD2 * w * w);
          }
          r += (fr - r) * f;
          g += (fg - g) * f;
          b += (fb - b) * f;
        }
        if (depthWrite) depth[idx] = qf;
        if (colorWrite) {
          const c = idx * 3;
          color[c] = r <= 0 ? 0 : r >= 1 ? 255 : (r * 255 + 0.5) | 0;
          color[c + 1] = g <= 0 ? 0 : g >= 1 ? 255 : (g * 255 + 0.5) | 0;
          color[c + 2] = b <= 0 ? 0 : b >= 1 ? 255 : (b * 255 + 0.5) | 0;
        }
      }
    }
  }
}
