import { Random, check } from "../common/index.ts";
import { createSimulation, type Simulation } from "../sim/index.ts";
import { buildWorld, loadWorldScenario, requireWorldKind, type BuiltWorld } from "../worlds/index.ts";
import { getApplication } from "./application/applicationRegistry.ts";
import { summarizeRun, type RunSummary } from "./qos/RunSummary.ts";
import { parseRunConfig, type RunConfig, type RunConfigInput } from "./RunConfig.ts";
import { runClosedLoop } from "./runtime/runClosedLoop.ts";
import { SimScheduler } from "./runtime/SimScheduler.ts";
import { PerceptionLog } from "./runtime/PerceptionLog.ts";
import { TrajectoryRecorder } from "./runtime/TrajectoryRecorder.ts";

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  /** A world already built for this preset and seed (reused instead of rebuilt). */
  world?: BuiltWorld;
  /** Stop once this many collisions happened (the summary's count is then a lower bound). @default Infinity */
  stopAfterCollisions?: number;
  /**
   * Save camera frames: every `every` simulated seconds the robot's camera is rendered and passed to
   * `onFrame` (RGB, H×W×3). The simulation renders at the perception's camera size when it has one,
   * else at `width`×`height`.
   */
  frames?: {
    width: number;
    height: number;
    every: number;
    /** `perception` is the run's perception log when `recordPerception` is set (its latest row is the latest frame's output). */
    onFrame: (rgb: Uint8Array, width: number, height: number, t: number, perception: PerceptionLog | undefined) => void | Promise<void>;
  };
  /** Record every perception frame's outputs and ground truth (the application's `perceptionFields`) for a replay. @default false */
  recordPerception?: boolean;
}

/** Result of one closed-loop run. */
export interface PipelineRun {
  summary: RunSummary;
  trajectory: TrajectoryRecorder;
  /** Per-frame perception outputs and truth, when `recordPerception` was set. */
  perception?: PerceptionLog;
}

/**
 * Runs one closed-loop configuration for one seed: looks up the application
 * (`config.pipeline`) in the registry, builds (or reuses) the world, creates
 * the simulation (with a camera only when perception renders frames), wires
 * the application's loop and drives it on simulated time until the robot
 * completes the row/route or `maxTime` passes.
 *
 * @throws InputError on a bad configuration: unknown application or world, a
 *   world of the wrong kind for the application, negative error std, and so on.
 */
export async function runPipeline(configInput: RunConfigInput | RunConfig, seed: number, opts: RunPipelineOptions = {}): Promise<PipelineRun> {
  const config = parseRunConfig(configInput);
  check(Number.isSafeInteger(seed) && seed >= 0, "seed", () => `expected a non-negative integer, got ${seed}`);
  const app = getApplication(config.pipeline);
  const world = requireWorldKind(
    opts.world ?? buildWorld(loadWorldScenario(config.world).draw(seed), seed),
    app.world.kind,
    "run.world",
    `the ${app.name} pipeline`,
  );

  const perception = await app.createPerception(config);
  const fps = config.fps ?? app.defaults.fps;
  const camera = perception.camera ?? (opts.frames ? { width: opts.frames.width, height: opts.frames.height } : undefined);
  const sim: Simulation = createSimulation({
    world,
    seed,
    robot: app.robot,
    physicsHz: config.physicsHz,
    imu: { rateHz: config.imuHz },
    ...(camera ? { camera: { ...camera, fps } } : {}),
  });
  const rng = new Random(seed).fork("perception");
  try {
    perception.attach(sim, rng);
    const scheduler = new SimScheduler();
    const speed = config.speed ?? app.defaults.speed;
    const route = world.progress(world.startPose);
    const maxTime = config.maxTime ?? (1.6 * Math.max(0, route.length - route.s)) / speed + 5;
    const recorder = new TrajectoryRecorder(Math.ceil(maxTime * config.controlHz) + 2);
    const perceptionLog = opts.recordPerception
      ? new PerceptionLog(app.perceptionFields ?? { output: [], truth: [] }, Math.ceil(maxTime * fps) + 2)
      : undefined;
    const loop$ = app.loop({ sim, world, scheduler, perception, recorder, config, fps, speed, perceptionLog });
    const frames = opts.frames;
    let nextFrame = 0;
    let rgb: Uint8Array | undefined;
    const afterStep = frames
      ? () => {
          if (sim.time + 1e-9 < nextFrame) return;
          nextFrame += frames.every;
          rgb = sim.renderCamera(rgb);
          const m = sim.cameraModel();
          return frames.onFrame(rgb, m.width, m.height, sim.time, perceptionLog);
        }
      : undefined;
    const stop = await runClosedLoop(sim, scheduler, loop$, { maxTime, stopAfterCollisions: opts.stopAfterCollisions, afterStep });
    return { summary: summarizeRun(seed, sim, recorder, stop), trajectory: recorder, perception: perceptionLog };
  } finally {
    perception.dispose();
    sim.dispose();
  }
}
