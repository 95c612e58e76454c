import { Random, check } from "../common/index.ts";
import { GEM_E2, createSimulation, type Simulation } from "../sim/index.ts";
import { buildWorld, loadWorldScenario, type BuiltWorld } from "../worlds/index.ts";
import { cropFollowLoop } from "./cropfollow/cropFollowLoop.ts";
import { laneGeometry } from "./gem/LaneGeometry.ts";
import { gemLoop } from "./gem/gemLoop.ts";
import { createLaneMaskSource, createRowPerception } from "./perception/createPerception.ts";
import type { PerceptionSource } from "./perception/PerceptionSource.ts";
import { summarizeRun, type RunSummary } from "./qos/RunSummary.ts";
import { parseRunConfig, type RunConfig, type RunConfigInput } from "./RunConfig.ts";
import { runClosedLoop } from "./runtime/runClosedLoop.ts";
import { SimScheduler } from "./runtime/SimScheduler.ts";
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
  frames?: { width: number; height: number; every: number; onFrame: (rgb: Uint8Array, width: number, height: number, t: number) => void | Promise<void> };
}

/** Result of one closed-loop run. */
export interface PipelineRun {
  summary: RunSummary;
  trajectory: TrajectoryRecorder;
}

/** Distance from the GEM e2 body centre (its pose) to the front axle: the body centre is midway between the axles. */
const GEM_FRONT_AXLE = GEM_E2.wheelbase / 2;

/**
 * Runs one closed-loop configuration for one seed: builds (or reuses) the
 * world, creates the simulation (with a camera only when perception renders
 * frames), wires perception → estimation → control as the application's pipe
 * and drives it on simulated time until the robot completes the row/route or
 * `maxTime` passes.
 *
 * @throws InputError on a bad configuration: unknown pipeline or world, a
 *   world of the wrong kind for the pipeline, negative error std, and so on.
 */
export async function runPipeline(configInput: RunConfigInput | RunConfig, seed: number, opts: RunPipelineOptions = {}): Promise<PipelineRun> {
  const config = parseRunConfig(configInput);
  check(Number.isSafeInteger(seed) && seed >= 0, "seed", () => `expected a non-negative integer, got ${seed}`);
  const world = opts.world ?? buildWorld(loadWorldScenario(config.world).draw(seed), seed);
  const wantKind = config.pipeline === "cropfollow" ? "cropfield" : "track";
  check(world.kind === wantKind, "run.world", () => `pipeline ${config.pipeline} needs a ${wantKind} world; ${config.world} is a ${world.kind} world`);

  const perception: PerceptionSource<unknown> =
    config.pipeline === "cropfollow"
      ? await createRowPerception(config.perception)
      : await createLaneMaskSource(config.perception, { ...config.maskSize });
  const camera = perception.camera ?? (opts.frames ? { width: opts.frames.width, height: opts.frames.height } : undefined);
  const sim: Simulation = createSimulation({
    world,
    seed,
    physicsHz: config.physicsHz,
    imu: { rateHz: config.imuHz },
    ...(camera ? { camera: { ...camera, fps: config.fps ?? (config.pipeline === "cropfollow" ? 10 : 20) } } : {}),
  });
  const rng = new Random(seed).fork("perception");
  try {
    perception.attach(sim, rng);
    const scheduler = new SimScheduler();
    const speed = config.speed ?? (config.pipeline === "cropfollow" ? 0.6 : 2.8);
    const frame = world.rowFrame ? world.rowFrame(world.startPose) : world.laneFrame!(world.startPose);
    const maxTime = config.maxTime ?? (1.6 * Math.max(0, frame.length - frame.s)) / speed + 5;
    const recorder = new TrajectoryRecorder(Math.ceil(maxTime * config.controlHz) + 2);
    let loop$;
    if (config.pipeline === "cropfollow") {
      const rf = world.rowFrame!(world.startPose);
      loop$ = cropFollowLoop(sim, scheduler, perception as Parameters<typeof cropFollowLoop>[2], recorder, {
        fps: config.fps ?? 10,
        latency: config.latency,
        imuHz: config.imuHz,
        controlHz: config.controlHz,
        speed,
        rowSpacing: rf.dLeft + rf.dRight,
      });
    } else {
      const preset = world.preset;
      if (preset.kind !== "track") throw new Error("unreachable: track world with a non-track preset");
      loop$ = gemLoop(sim, scheduler, perception as Parameters<typeof gemLoop>[2], recorder, {
        fps: config.fps ?? 20,
        latency: config.latency,
        controlHz: config.controlHz,
        lane: laneGeometry(preset),
        stanley: { speed },
        frontAxleX: GEM_FRONT_AXLE,
      });
    }
    const frames = opts.frames;
    let nextFrame = 0;
    let rgb: Uint8Array | undefined;
    const afterStep = frames
      ? () => {
          if (sim.time + 1e-9 < nextFrame) return;
          nextFrame += frames.every;
          rgb = sim.renderCamera(rgb);
          const m = sim.cameraModel();
          return frames.onFrame(rgb, m.width, m.height, sim.time);
        }
      : undefined;
    const stop = await runClosedLoop(sim, scheduler, loop$, { maxTime, stopAfterCollisions: opts.stopAfterCollisions, afterStep });
    return { summary: summarizeRun(seed, sim, recorder, stop), trajectory: recorder };
  } finally {
    perception.dispose();
    sim.dispose();
  }
}
