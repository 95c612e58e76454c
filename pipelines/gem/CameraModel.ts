/**
 * Pinhole camera on the robot, as `Simulation.cameraModel()` reports it:
 * intrinsics in pixels (image x right, y down, pixel centres at integer + ½)
 * and the mount in the robot frame (x forward, y left, z up; metres), pitched
 * down by `pitch` radians. No roll or yaw.
 */
export interface CameraModel {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  mountX: number;
  mountY: number;
  mountZ: number;
  pitch: number;
}

/**
 * The same camera seen at another resolution (a network's mask may be smaller
 * than the rendered frame): intrinsics scale with the image, the mount does not.
 */
export function scaleCameraModel(cam: CameraModel, width: number, height: number): CameraModel {
  const sx = width / cam.width;
  const sy = height / cam.height;
  return { ...cam, width, height, fx: cam.fx * sx, fy: cam.fy * sy, cx: cam.cx * sx, cy: cam.cy * sy };
}
