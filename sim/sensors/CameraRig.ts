import { PerspectiveCamera, Vector3 } from "three";
import type { Pose2D } from "../../worlds/index.ts";
import type { CameraMount } from "../robots/Robot.ts";

/** Pinhole model of a robot camera: intrinsics (pixels) and mount (robot frame, m / rad). */
export interface CameraModel {
  width: number;
  height: number;
  /** Focal lengths and principal point (pixels); pixel (0, 0) is the top-left corner. */
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** Optical centre in the robot frame (x forward, y left, z up from the ground). */
  mountX: number;
  mountY: number;
  mountZ: number;
  /** Downward pitch (rad, > 0 looks down). */
  pitch: number;
  /** Frame rate the camera is meant to run at (Hz). */
  fps: number;
}

const _target = new Vector3();

/**
 * A three.js `PerspectiveCamera` kept at the robot's camera mount. The mount
 * gives the horizontal FOV; three's `fov` is vertical, so it is derived from
 * the aspect ratio: vfov = 2·atan(tan(hfov/2)·H/W).
 */
export class CameraRig {
  readonly camera: PerspectiveCamera;
  readonly model: CameraModel;

  /**
   * @param width image width (pixels)
   * @param height image height (pixels)
   * @param hfovDeg horizontal field of view (deg)
   * @param fps frame rate reported in the model (Hz)
   * @param mount camera placement on the robot
   * @param near near clip distance (m)
   * @param far far clip distance (m)
   */
  constructor(
    width: number,
    height: number,
    hfovDeg: number,
    fps: number,
    private readonly mount: CameraMount,
    near: number,
    far: number,
  ) {
    const hfov = (hfovDeg * Math.PI) / 180;
    const vfov = 2 * Math.atan((Math.tan(hfov / 2) * height) / width);
    this.camera = new PerspectiveCamera((vfov * 180) / Math.PI, width / height, near, far);
    this.camera.up.set(0, 0, 1);
    const fx = width / 2 / Math.tan(hfov / 2);
    this.model = {
      width,
      height,
      fx,
      fy: height / 2 / Math.tan(vfov / 2),
      cx: width / 2,
      cy: height / 2,
      mountX: mount.x,
      mountY: mount.y,
      mountZ: mount.z,
      pitch: mount.pitch,
      fps,
    };
  }

  /** Places the camera for a robot at `pose` and updates its matrices. */
  update(pose: Pose2D): PerspectiveCamera {
    const c = Math.cos(pose.yaw);
    const s = Math.sin(pose.yaw);
    const m = this.mount;
    const px = pose.x + c * m.x - s * m.y;
    const py = pose.y + s * m.x + c * m.y;
    this.camera.position.set(px, py, m.z);
    const cp = Math.cos(m.pitch);
    _target.set(px + c * cp, py + s * cp, m.z - Math.sin(m.pitch));
    this.camera.lookAt(_target);
    this.camera.updateMatrixWorld(true);
    return this.camera;
  }
}
