import { Body, GSSolver, Plane, Vec3, World } from "cannon-es";
import type { Scene } from "three";
import { check, InputError, Random } from "../common/index.ts";
import { buildWorld, loadWorldScenario, type BuiltWorld, type Pose2D, type WorldPreset } from "../worlds/index.ts";
import { CollisionTracker, type CollisionLog } from "./physics/CollisionTracker.ts";
import { DynamicPairBroadphase } from "./physics/DynamicPairBroadphase.ts";
import { ObstacleBodies } from "./physics/ObstacleBodies.ts";
import { GemE2 } from "./robots/GemE2.ts";
import type { AckermannCommand, Robot, RobotKind, TwistCommand } from "./robots/Robot.ts";
import { TerraSentia } from "./robots/TerraSentia.ts";
import { bodyYaw } from "./robots/tractionDrive.ts";
import { SoftwareRenderer } from "./render/SoftwareRenderer.ts";
import type { CameraRig, CameraModel } from "./sensors/CameraRig.ts";
import { robotCameraRig } from "./sensors/robotCameraRig.ts";
import { Imu, type ImuOptions, type ImuSample } from "./sensors/Imu.ts";
import { WheelOdometry, type OdometrySample } from "./sensors/WheelOdometry.ts";
import { SimClock } from "./SimClock.ts";

/** Options of {@link createSimulation}. */
export interface SimulationOptions {
  /** A preset, a preset or distribution name/path (see `loadWorldScenario`; a distribution gives the world of `seed`), or an already built world (reused, not rebuilt). */
  world: WorldPreset | string | BuiltWorld;
  /** Run seed: world generation (unless a built world is given) and all sensor noise. */
  seed: number;
  /** Robot model. @default "terrasentia" for crop fields, "gem" for tracks */
  robot?: RobotKind;
  /** Physics rate (Hz), 100–2000. @default 200 */
  physicsHz?: number;
  /** Robot camera; omit for no rendering (then `renderCamera`/`cameraModel` throw). */
  camera?: CameraOptions;
  /** IMU options (rate and noise). */
  imu?: ImuOptions;
  /** Odometry noise standard deviation (m/s and rad/s). @default 0.02 */
  odometryNoiseStd?: number;
  /**
   * Keep only the obstacles near the robot in the physics world (see `ObstacleBodies`). `false` puts
   * every obstacle in the world from the start: same physics, much slower; for checking the streaming.
   * @default true
   */
  streamObstacles?: boolean;
}

/** Robot camera options. */
export interface CameraOptions {
  /** Image size (pixels). */
  width: number;
  height: number;
  /** Horizontal field of view (deg). @default 80 on TerraSentia, 90 on the GEM */
  hfovDeg?: number;
  /** Rate the perception loop is meant to sample it at (Hz); reported by `cameraModel()`. @default 10 */
  fps?: number;
}

/** A running simulation of one robot in one world; see {@link createSimulation}. */
export interface Simulation {
  readonly world: BuiltWorld;
  readonly robotKind: RobotKind;
  /** Simulated seconds. */
  readonly time: number;
  /** Physics step (s). */
  readonly dt: number;
  /** The robot model (body, limits, actuator state). */
  readonly robot: Robot;
  /** TerraSentia: { v (m/s), omega (rad/s) }; GEM: { speed (m/s), steer (rad) }. Clamped to the robot's limits. */
  setCommand(cmd: TwistCommand | AckermannCommand): void;
  /** Exactly one physics step. */
  step(): void;
  /** Steps until `seconds` more simulated time has passed (rounded to whole steps). */
  advance(seconds: number): void;
  /** Ground-truth pose of the body centre. */
  pose(): Pose2D;
  /** Ground-truth forward speed (m/s, body frame) and yaw rate (rad/s). */
  velocity(): { v: number; omega: number };
  /** Latest IMU sample (noisy, seeded). */
  readImu(): ImuSample;
  /** Latest wheel-odometry sample (noisy, seeded). */
  readOdometry(): OdometrySample;
  /** Renders the robot camera at the current pose: RGB, row-major H×W×3, sRGB (into `target` if given). */
  renderCamera(target?: Uint8Array): Uint8Array;
  /**
   * Track only: oracle lane-marking mask from the robot camera, H×W, 1 = lane-marking pixel
   * (into `target` if given).
   */
  renderLaneMask?(target?: Uint8Array): Uint8Array;
  /** Pinhole intrinsics and mount of the robot camera. */
  cameraModel(): CameraModel;
  /** Collision count and onset events so far. */
  readonly collisions: CollisionLog;
  /** Crop field: reached the row end; track: reached the route end. */
  completed(): boolean;
  /** Releases the physics world. */
  dispose(): void;
}

/**
 * Creates a headless simulation: cannon-es world at a fixed step with a
 * ground plane, the robot, the obstacles near it (streamed, see
 * `ObstacleBodies`), collision accounting and sensors.
 *
 * @example
 * const sim = createSimulation({ world: "cropfield-straight", seed: 1 });
 * sim.setCommand({ v: 0.5, omega: 0 });
 * sim.advance(10);
 * console.log(sim.pose(), sim.collisions.count);
 */
export function createSimulation(opts: SimulationOptions): Simulation {
  check(Number.isFinite(opts.seed), "seed", () => `expected a finite number, got ${opts.seed}`);
  const hz = opts.physicsHz ?? 200;
  check(Number.isFinite(hz) && hz >= 100 && hz <= 2000, "physicsHz", () => `expected a number in [100, 2000], got ${hz}`);
  const built = resolveWorld(opts.world, opts.seed);
  const robotKind: RobotKind = opts.robot ?? (built.kind === "cropfield" ? "terrasentia" : "gem");
  check(robotKind === "terrasentia" || robotKind === "gem", "robot", () => `expected "terrasentia" or "gem", got ${String(robotKind)}`);
  const odoNoise = opts.odometryNoiseStd ?? 0.02;
  check(odoNoise >= 0, "odometryNoiseStd", () => `expected a number ≥ 0, got ${odoNoise}`);
  const cam = opts.camera;
  if (cam) {
    for (const key of ["width", "height"] as const) {
      const v = cam[key];
      check(Number.isInteger(v) && v >= 8 && v <= 4096, `camera.${key}`, () => `expected an integer in [8, 4096], got ${v}`);
    }
    const h = cam.hfovDeg;
    check(h === undefined || (h >= 10 && h <= 170), "camera.hfovDeg", () => `expected a number in [10, 170], got ${h}`);
    const f = cam.fps;
    check(f === undefined || (f > 0 && f <= 1000), "camera.fps", () => `expected a number in (0, 1000], got ${f}`);
  }
  return new SimulationImpl(built, robotKind, hz, opts, odoNoise);
}

function resolveWorld(world: SimulationOptions["world"], seed: number): BuiltWorld {
  if (typeof world === "string") return buildWorld(loadWorldScenario(world).draw(seed), seed);
  if ("scene" in world && "obstacles" in world) return world;
  return buildWorld(world as WorldPreset, seed);
}

/** Distance (m) the robot may travel between obstacle refreshes. */
const STREAM_MARGIN = 0.25;

class SimulationImpl implements Simulation {
  readonly dt: number;
  readonly robot: TerraSentia | GemE2;
  readonly collisions: CollisionLog;
  private readonly clock: SimClock;
  private readonly physics: World;
  private readonly obstacleBodies: ObstacleBodies;
  private readonly tracker: CollisionTracker;
  private readonly imu: Imu;
  private readonly odometry: WheelOdometry;
  private readonly rig?: CameraRig;
  private readonly renderer?: SoftwareRenderer;
  private maskRgb?: Uint8Array;
  readonly renderLaneMask?: (target?: Uint8Array) => Uint8Array;

  constructor(
    readonly world: BuiltWorld,
    readonly robotKind: RobotKind,
    hz: number,
    opts: SimulationOptions,
    odoNoise: number,
  ) {
    this.dt = 1 / hz;
    this.clock = new SimClock(this.dt);
    const rng = new Random(opts.seed).fork("sensors");
    const physics = new World({ gravity: new Vec3(0, 0, -9.81), allowSleep: false });
    physics.broadphase = new DynamicPairBroadphase();
    // Traction is modelled by the robot's drive; cannon friction would fight it.
    physics.defaultContactMaterial.friction = 0;
    (physics.solver as GSSolver).iterations = 10;
    const ground = new Body({ type: Body.STATIC, shape: new Plane() });
    physics.addBody(ground);
    this.physics = physics;

    this.robot = robotKind === "gem" ? new GemE2(world.startPose) : new TerraSentia(world.startPose);
    physics.addBody(this.robot.body);
    const margin = opts.streamObstacles === false ? Infinity : STREAM_MARGIN;
    this.obstacleBodies = new ObstacleBodies(physics, world.obstacles, this.robot.reach, margin);
    this.obstacleBodies.update(world.startPose.x, world.startPose.y);
    this.tracker = new CollisionTracker(world.obstacles, this.robot.body);
    this.collisions = this.tracker.log;
    this.imu = new Imu(rng.fork("imu"), opts.imu);
    this.odometry = new WheelOdometry(rng.fork("odometry"), odoNoise);

    const cam = opts.camera;
    if (cam) {
      this.rig = robotCameraRig(world, robotKind, cam, this.robot.cameraMount);
      this.renderer = new SoftwareRenderer({ width: cam.width, height: cam.height });
      if (world.kind === "track") {
        const mask = world.laneMaskScene;
        this.renderLaneMask = (target) => this.laneMask(mask, target);
      }
    }
  }

  get time(): number {
    return this.clock.time;
  }

  setCommand(cmd: TwistCommand | AckermannCommand): void {
    if (this.robot instanceof TerraSentia) {
      const c = cmd as TwistCommand;
      check(Number.isFinite(c.v) && Number.isFinite(c.omega), "setCommand", () => "terrasentia takes { v, omega } (finite numbers)");
      this.robot.setCommand(c);
    } else {
      const c = cmd as AckermannCommand;
      check(Number.isFinite(c.speed) && Number.isFinite(c.steer), "setCommand", () => "gem takes { speed, steer } (finite numbers)");
      this.robot.setCommand(c);
    }
  }

  step(): void {
    const body = this.robot.body;
    this.obstacleBodies.update(body.position.x, body.position.y);
    this.robot.drive(this.dt);
    this.physics.step(this.dt);
    const t = this.clock.tick();
    this.tracker.afterStep(this.physics, t);
    this.imu.update(t, body);
    this.odometry.update(t, this.robot);
  }

  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new InputError("advance", `expected seconds ≥ 0, got ${seconds}`);
    const n = Math.round(seconds / this.dt);
    for (let i = 0; i < n; i++) this.step();
  }

  pose(): Pose2D {
    const p = this.robot.body.position;
    return { x: p.x, y: p.y, yaw: bodyYaw(this.robot.body) };
  }

  velocity(): { v: number; omega: number } {
    const b = this.robot.body;
    const yaw = bodyYaw(b);
    return { v: b.velocity.x * Math.cos(yaw) + b.velocity.y * Math.sin(yaw), omega: b.angularVelocity.z };
  }

  readImu(): ImuSample {
    return this.imu.read();
  }

  readOdometry(): OdometrySample {
    return this.odometry.read();
  }

  renderCamera(target?: Uint8Array): Uint8Array {
    const { rig, renderer } = this.requireCamera();
    const camera = rig.update(this.pose());
    this.world.setViewpoint?.(camera.position.x, camera.position.y);
    return renderer.render(this.world.scene, camera, target);
  }

  cameraModel(): CameraModel {
    return { ...this.requireCamera().rig.model };
  }

  private laneMask(scene: Scene, target?: Uint8Array): Uint8Array {
    const { rig, renderer } = this.requireCamera();
    const n = rig.model.width * rig.model.height;
    check(target === undefined || target.length === n, "renderLaneMask", () => `target has ${target!.length} bytes, expected ${n} (H×W)`);
    const rgb = renderer.render(scene, rig.update(this.pose()), (this.maskRgb ??= new Uint8Array(3 * n)));
    const out = target ?? new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = rgb[3 * i] > 127 ? 1 : 0;
    return out;
  }

  private requireCamera(): { rig: CameraRig; renderer: SoftwareRenderer } {
    if (!this.rig || !this.renderer) throw new InputError("camera", "this simulation was created without camera options");
    return { rig: this.rig, renderer: this.renderer };
  }

  completed(): boolean {
    const f = this.world.progress(this.pose());
    return f.s >= f.length;
  }

  dispose(): void {
    for (let i = this.physics.bodies.length - 1; i >= 0; i--) this.physics.removeBody(this.physics.bodies[i]);
  }
}
