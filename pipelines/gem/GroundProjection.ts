import type { CameraModel } from "../../sim/index.ts";

/**
 * Maps image pixels to points on the flat ground in the robot frame (a
 * bird's-eye view) and back.
 *
 * With pitch only, every image row sees the ground along a line of constant
 * forward distance, so the map is two per-row tables: for row v (pixel centre
 * v + ½), forward X[v] and metres-per-pixel-column `lat[v]`, giving
 * Y = mountY − lat[v]·(u + ½ − cx). Rows at or above the horizon, or farther
 * than `maxRange`, are marked invalid (X = NaN).
 */
export class GroundProjection {
  readonly camera: CameraModel;
  /** Forward distance (m, robot frame) of each image row; NaN when unusable. */
  readonly rowX: Float64Array;
  /** Lateral metres per pixel column of each image row (the ray scale t/fx). */
  readonly rowLat: Float64Array;
  /** First image row (top) whose ground points are usable. */
  readonly firstRow: number;

  /** @param maxRange farthest ground distance (m, from the camera) kept; farther rows are too coarse to use. @default 30 */
  constructor(camera: CameraModel, maxRange = 30) {
    this.camera = camera;
    const { height, fy, cy, pitch, mountZ, mountX, fx } = camera;
    this.rowX = new Float64Array(height);
    this.rowLat = new Float64Array(height);
    const cp = Math.cos(pitch);
    const sp = Math.sin(pitch);
    let first = height;
    for (let v = 0; v < height; v++) {
      const b = (v + 0.5 - cy) / fy;
      const down = b * cp + sp;
      const t = down > 1e-6 ? mountZ / down : Infinity;
      const fwd = t * (cp - b * sp);
      if (!(fwd > 0) || !(fwd <= maxRange)) {
        this.rowX[v] = NaN;
        this.rowLat[v] = NaN;
        continue;
      }
      if (v < first) first = v;
      this.rowX[v] = mountX + fwd;
      this.rowLat[v] = t / fx;
    }
    this.firstRow = first;
  }

  /** Lateral position (m, robot frame, > 0 left) of pixel column `u` on row `v`. */
  lateral(u: number, v: number): number {
    return this.camera.mountY - this.rowLat[v] * (u + 0.5 - this.camera.cx);
  }

  /** Continuous image column (pixel-centre units: column index + ½) of lateral position `y` on row `v`. */
  column(y: number, v: number): number {
    return this.camera.cx - (y - this.camera.mountY) / this.rowLat[v];
  }
}
