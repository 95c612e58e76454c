import type { Simulation } from "../../sim/index.ts";
import type { CameraModel } from "../../sim/index.ts";
import type { CameraRequest } from "../perception/PerceptionConfig.ts";

/**
 * The pinhole model of the robot's camera at the requested resolution.
 *
 * When the simulation renders a camera of that size, its own
 * `cameraModel()` is used. Otherwise (oracle and injected perception render
 * nothing, so the simulation is created without a camera) the model is
 * derived from the robot's camera mount with the simulator's formulas:
 * fx = (W/2)/tan(hfov/2), vertical FOV from the aspect ratio, principal point
 * at the image centre.
 */
export function cameraModelFor(sim: Simulation, request: CameraRequest, fps = 10): CameraModel {
  try {
    const m = sim.cameraModel();
    if (m.width === request.width && m.height === request.height) return m;
  } catch {
    // No camera configured on this simulation: derive the model below.
  }
  const mount = sim.robot.cameraMount;
  const hfov = ((request.hfovDeg ?? mount.hfovDeg) * Math.PI) / 180;
  const vfov = 2 * Math.atan((Math.tan(hfov / 2) * request.height) / request.width);
  return {
    width: request.width,
    height: request.height,
    fx: request.width / 2 / Math.tan(hfov / 2),
    fy: request.height / 2 / Math.tan(vfov / 2),
    cx: request.width / 2,
    cy: request.height / 2,
    mountX: mount.x,
    mountY: mount.y,
    mountZ: mount.z,
    pitch: mount.pitch,
    fps,
  };
}
