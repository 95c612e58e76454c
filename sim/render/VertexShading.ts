import type { LightEnvironment } from "./LightEnvironment.ts";
import { V_R, V_RB, V_STRIDE, type VertexBuffer } from "./vertexLayout.ts";

/**
 * Per-vertex colour of the current mesh instance, computed on demand: diffuse colour (material ×
 * instance colour × vertex colour) times Lambert irradiance/π for the world-space normal (front,
 * and flipped for back faces when the material shows them), or the unlit diffuse colour.
 * The renderer calls {@link begin} per mesh, sets the base colour per instance and the normal
 * matrix in the array passed to `begin`, then {@link color} for each vertex a visible triangle uses.
 */
export class VertexShading {
  /** Material colour × instance colour (linear RGB) of the current instance. */
  baseR = 1;
  baseG = 1;
  baseB = 1;
  private lights: LightEnvironment | null = null;
  private lit = false;
  private front = true;
  private back = false;
  private normals: Float32Array | null = null;
  private colors: Float32Array | null = null;
  private colorSize = 0;
  private normalMatrix: Float64Array = new Float64Array(9);
  private readonly irr = new Float64Array(6);

  /** Configure for one mesh draw; `normalMatrix` is read at each {@link color} call (column-major 3×3). */
  begin(
    lights: LightEnvironment,
    lit: boolean,
    front: boolean,
    back: boolean,
    normals: Float32Array | null,
    colors: Float32Array | null,
    colorSize: number,
    normalMatrix: Float64Array,
  ): void {
    this.lights = lights;
    this.lit = lit;
    this.front = front;
    this.back = back;
    this.normals = normals;
    this.colors = colors;
    this.colorSize = colorSize;
    this.normalMatrix = normalMatrix;
  }

  /** Write vertex `v`'s front (and, if needed, back) colour into `verts` (shared vertex layout). */
  color(v: number, verts: VertexBuffer): void {
    const o = v * V_STRIDE;
    let r = this.baseR,
      g = this.baseG,
      b = this.baseB;
    const cols = this.colors;
    if (cols !== null) {
      const c = v * this.colorSize;
      r *= cols[c];
      g *= cols[c + 1];
      b *= cols[c + 2];
    }
    if (!this.lit) {
      verts[o + V_R] = r;
      verts[o + V_R + 1] = g;
      verts[o + V_R + 2] = b;
      return;
    }
    const nor = this.normals!,
      N = this.normalMatrix,
      irr = this.irr,
      p = v * 3;
    const nx0 = nor[p],
      ny0 = nor[p + 1],
      nz0 = nor[p + 2];
    let nx = N[0] * nx0 + N[3] * ny0 + N[6] * nz0;
    let ny = N[1] * nx0 + N[4] * ny0 + N[7] * nz0;
    let nz = N[2] * nx0 + N[5] * ny0 + N[8] * nz0;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const inv = len > 0 ? 1 / len : 0;
    nx *= inv;
    ny *= inv;
    nz *= inv;
    if (this.front && this.back) {
      irr[0] = nx;
      irr[1] = ny;
      irr[2] = nz;
      this.lights!.irradiancePairOverPi(irr);
      verts[o + V_R] = r * irr[0];
      verts[o + V_R + 1] = g * irr[1];
      verts[o + V_R + 2] = b * irr[2];
      verts[o + V_RB] = r * irr[3];
      verts[o + V_RB + 1] = g * irr[4];
      verts[o + V_RB + 2] = b * irr[5];
    } else if (this.front) {
      irr[0] = nx;
      irr[1] = ny;
      irr[2] = nz;
      this.lights!.irradianceOverPi(irr);
      verts[o + V_R] = r * irr[0];
      verts[o + V_R + 1] = g * irr[1];
      verts[o + V_R + 2] = b * irr[2];
    } else {
      irr[0] = -nx;
      irr[1] = -ny;
      irr[2] = -nz;
      this.lights!.irradianceOverPi(irr);
      verts[o + V_RB] = r * irr[0];
      verts[o + V_RB + 1] = g * irr[1];
      verts[o + V_RB + 2] = b * irr[2];
    }
  }
}
