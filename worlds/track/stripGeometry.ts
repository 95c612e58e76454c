import { BufferAttribute, BufferGeometry } from "three";
import type { PathPoint, SegmentPath } from "../path/SegmentPath.ts";

/** Growing vertex/index lists for flat ribbons laid along a path. */
export class StripBuilder {
  private readonly pos: number[] = [];
  private readonly uv: number[] = [];
  private readonly idx: number[] = [];
  private readonly pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };

  /**
   * Adds a ribbon between lateral offsets `latLo` < `latHi` (m, left positive)
   * from arc length `s0` to `s1`, at height `z`, sampled every ≤ `ds` metres.
   * UVs are in metres / `uvTile` (u across, v along).
   */
  add(path: SegmentPath, s0: number, s1: number, latLo: number, latHi: number, z: number, ds: number, uvTile = 1): this {
    const n = Math.max(1, Math.ceil((s1 - s0) / ds));
    const base = this.pos.length / 3;
    for (let i = 0; i <= n; i++) {
      const s = s0 + ((s1 - s0) * i) / n;
      for (const lat of [latLo, latHi]) {
        path.sample(s, lat, this.pt);
        this.pos.push(this.pt.x, this.pt.y, z);
        this.uv.push(lat / uvTile, s / uvTile);
      }
    }
    for (let i = 0; i < n; i++) {
      const a = base + 2 * i;
      // Counter-clockwise seen from above (+Z): lo→hi is leftward, s increases forward.
      this.idx.push(a, a + 2, a + 1, a + 1, a + 2, a + 3);
    }
    return this;
  }

  /** The accumulated ribbons as one indexed geometry with +Z normals. */
  build(): BufferGeometry {
    const g = new BufferGeometry();
    g.setAttribute("position", new BufferAttribute(new Float32Array(this.pos), 3));
    const nrm = new Float32Array(this.pos.length);
    for (let i = 2; i < nrm.length; i += 3) nrm[i] = 1;
    g.setAttribute("normal", new BufferAttribute(nrm, 3));
    g.setAttribute("uv", new BufferAttribute(new Float32Array(this.uv), 2));
    g.setIndex(this.idx);
    g.computeBoundingSphere();
    return g;
  }
}
