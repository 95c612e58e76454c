import { BufferAttribute, BufferGeometry, type Color } from "three";
import type { PathPoint, SegmentPath } from "../path/SegmentPath.ts";

/** Growing vertex/index lists for flat ribbons laid along a path. */
export class StripBuilder {
  private readonly pos: number[] = [];
  private readonly uv: number[] = [];
  private readonly idx: number[] = [];
  private readonly col: number[] = [];
  private readonly pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };

  /**
   * Adds a ribbon between lateral offsets `latLo` < `latHi` (m, left positive)
   * from arc length `s0` to `s1`, at height `z`, sampled every ≤ `ds` metres.
   * UVs are in metres / `uvTile` (u across, v along). With `color` (linear
   * RGB) the ribbon's vertices get that colour; either every ribbon of a
   * builder has one or none does.
   */
  add(path: SegmentPath, s0: number, s1: number, latLo: number, latHi: number, z: number, ds: number, uvTile = 1, color?: Color): this {
    const n = Math.max(1, Math.ceil((s1 - s0) / ds));
    const base = this.pos.length / 3;
    for (let i = 0; i <= n; i++) {
      const s = s0 + ((s1 - s0) * i) / n;
      for (const lat of [latLo, latHi]) {
        path.sample(s, lat, this.pt);
        this.pos.push(this.pt.x, this.pt.y, z);
        this.uv.push(lat / uvTile, s / uvTile);
        if (color) this.col.push(color.r, color.g, color.b);
      }
    }
    for (let i = 0; i < n; i++) {
      const a = base + 2 * i;
      // Counter-clockwise seen from above (+Z): lo→hi is leftward, s increases forward.
      this.idx.push(a, a + 2, a + 1, a + 1, a + 2, a + 3);
    }
    return this;
  }

  /** The accumulated ribbons as one indexed geometry with +Z normals (and a `color` attribute when ribbons had colours). */
  build(): BufferGeometry {
    if (this.col.length !== 0 && this.col.length !== this.pos.length)
      throw new Error("StripBuilder: some ribbons have a colour and some do not");
    const g = new BufferGeometry();
    g.setAttribute("position", new BufferAttribute(new Float32Array(this.pos), 3));
    const nrm = new Float32Array(this.pos.length);
    for (let i = 2; i < nrm.length; i += 3) nrm[i] = 1;
    g.setAttribute("normal", new BufferAttribute(nrm, 3));
    g.setAttribute("uv", new BufferAttribute(new Float32Array(this.uv), 2));
    if (this.col.length) g.setAttribute("color", new BufferAttribute(new Float32Array(this.col), 3));
    g.setIndex(this.idx);
    g.computeBoundingSphere();
    return g;
  }
}
