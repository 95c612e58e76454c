import {
  createSimulation,
  gemPursuitLoop,
  InjectedLanePose,
  OracleLanePose,
  Random,
  runClosedLoop,
  SimScheduler,
  summarizeRun,
  TrajectoryRecorder,
  buildWorld,
  loadWorldScenario,
  DATASET_NORMALIZATION,
  OnnxLanePose,
  type RunSummary,
} from "../../index.ts";
import { OnnxFrameModel } from "../../pipelines/perception/OnnxFrameModel.ts";

type Err = { bias?: number; std?: number };
export type LanePoseConfig = { kind: "oracle" } | { kind: "injected"; crossTrack?: Err; headingError?: Err } | { kind: "onnx"; model: string };

/** One gem-pursuit run on gem-serpentine at 10 Hz perception, 20 Hz control, 4 m/s. */
export async function runGemPursuit(perception: LanePoseConfig, seed: number, opts: { stopAfterCollisions?: number } = {}): Promise<RunSummary> {
  const world = buildWorld(loadWorldScenario("gem-serpentine").draw(seed), seed);
  const src =
    perception.kind === "oracle"
      ? new OracleLanePose()
      : perception.kind === "injected"
        ? new InjectedLanePose({ bias: 0, std: 0, ...perception.crossTrack }, { bias: 0, std: 0, ...perception.headingError })
        : new OnnxLanePose(await OnnxFrameModel.load(perception.model, DATASET_NORMALIZATION), undefined);
  const sim = createSimulation({ world, seed, ...(src.camera ? { camera: { ...src.camera, fps: 10 } } : {}) });
  src.attach(sim, new Random(seed).fork("perception"));
  const scheduler = new SimScheduler();
  const recorder = new TrajectoryRecorder(2000);
  const f = world.progress(world.startPose);
  const stop = await runClosedLoop(sim, scheduler, gemPursuitLoop(sim, scheduler, src, recorder, { fps: 10, latency: 0, controlHz: 20 }), {
    maxTime: (1.6 * (f.length - f.s)) / 4 + 5,
    stopAfterCollisions: opts.stopAfterCollisions,
  });
  const s = summarizeRun(seed, sim, recorder, stop);
  src.dispose();
  sim.dispose();
  return s;
}
