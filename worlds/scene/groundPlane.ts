import { Mesh, MeshLambertMaterial, PlaneGeometry, type Texture } from "three";
import type { PathPoint, SegmentPath } from "../path/SegmentPath.ts";

/** Axis-aligned ground-plane box (m, world frame). */
export interface GroundBounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Bounding box of the path sampled every `step` m from `sFrom` to `sTo`, at each lateral offset in `laterals`. */
export function pathBounds(path: SegmentPath, sFrom: number, sTo: number, step: number, laterals: readonly number[]): GroundBounds {
  const b: GroundBounds = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  const pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };
  for (let s = sFrom; s <= sTo; s += step) {
    for (const off of laterals) {
      path.sample(s, off, pt);
      b.x0 = Math.min(b.x0, pt.x);
      b.x1 = Math.max(b.x1, pt.x);
      b.y0 = Math.min(b.y0, pt.y);
      b.y1 = Math.max(b.y1, pt.y);
    }
  }
  return b;
}

/**
 * A flat textured rectangle covering `bounds` plus `margin` m on every side at
 * height `z`, its texture repeated every `tile` m (the map must wrap).
 */
export function groundPlane(bounds: GroundBounds, margin: number, tile: number, map: Texture, name: string, z = 0): Mesh {
  const w = bounds.x1 - bounds.x0 + 2 * margin;
  const h = bounds.y1 - bounds.y0 + 2 * margin;
  const geo = new PlaneGeometry(w, h, 1, 1);
  const uv = geo.getAttribute("uv");
  for (let i = 0; i < uv.count; i++) uv.setXY(i, (uv.getX(i) * w) / tile, (uv.getY(i) * h) / tile);
  const mesh = new Mesh(geo, new MeshLambertMaterial({ map }));
  mesh.name = name;
  mesh.position.set((bounds.x0 + bounds.x1) / 2, (bounds.y0 + bounds.y1) / 2, z);
  return mesh;
}
