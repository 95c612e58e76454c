import type { CameraModel } from "../../sim/index.ts";

/**
 * The same camera seen at another resolution (a network's mask may be smaller
 * than the rendered frame): intrinsics scale with the image, the mount does not.
 */
export function scaleCameraModel(cam: CameraModel, width: number, height: number): CameraModel {
  const sx = width / cam.width;
  const sy = height / cam.height;
  return { ...cam, width, height, fx: cam.fx * sx, fy: cam.fy * sy, cx: cam.cx * sx, cy: cam.cy * sy };
}
