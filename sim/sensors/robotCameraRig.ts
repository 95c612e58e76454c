import type { BuiltWorld } from "../../worlds/index.ts";
import { GEM_E2 } from "../robots/GemE2.ts";
import type { CameraMount, RobotKind } from "../robots/Robot.ts";
import { TERRASENTIA } from "../robots/TerraSentia.ts";
import { CameraRig } from "./CameraRig.ts";

/** The camera mount of a robot kind (robot frame; see {@link CameraMount}). */
export function cameraMountOf(robotKind: RobotKind): CameraMount {
  return { ...(robotKind === "gem" ? GEM_E2.camera : TERRASENTIA.camera) };
}

/**
 * The robot camera every renderer of a world shares — the simulation's
 * `renderCamera` and the dataset generators — so that a dataset frame and a
 * closed-loop frame at the same pose are the same pixels: the robot's mount,
 * `hfovDeg` (default: the mount's), near clip 0.2 m on the GEM (a roof
 * camera) and 0.05 m on TerraSentia (leaves come close), far clip at the
 * world's fog end (nothing is visible beyond it).
 */
export function robotCameraRig(
  world: BuiltWorld,
  robotKind: RobotKind,
  cam: { width: number; height: number; hfovDeg?: number; fps?: number },
  mount: CameraMount = cameraMountOf(robotKind),
): CameraRig {
  const near = robotKind === "gem" ? 0.2 : 0.05;
  return new CameraRig(cam.width, cam.height, cam.hfovDeg ?? mount.hfovDeg, cam.fps ?? 10, mount, near, world.preset.environment.fogFar);
}
