/**
 * The NN-in-the-loop section of `npm run bench:loop`: real-time factor on
 * one core — CropFollow with the shipped heading + distance CNNs
 * (`<models>/cropfollow.onnx`) at 10 FPS on cropfield-straight, GEM with
 * LaneNet (`<models>/lanenet.onnx`) at 20 Hz on gem-track — run in this
 * thread (onnxruntime on one intra-op thread), with a breakdown of the wall
 * time: render (software rasterizer), preprocessing (bytes → normalized
 * NCHW), inference (onnxruntime), physics (cannon-es steps) and
 * fusion/control (everything else: EKF/MPC or lane post-processing/Stanley,
 * the scheduler, bookkeeping).
 *
 * The breakdown comes from timing wrappers put around the renderer, the ONNX
 * frame model, the onnxruntime session and the physics world while the
 * section runs (removed afterwards, so the rest of the bench is unaffected).
 * Real-time factor = simulated seconds / wall seconds; medians over `runs` seeds.
 */
import { join } from "node:path";
import { World } from "cannon-es";
import * as ort from "onnxruntime-node";
import { runPipeline, type RunConfigInput } from "../../pipelines/index.ts";
import { OnnxFrameModel } from "../../pipelines/perception/OnnxFrameModel.ts";
import { SoftwareRenderer } from "../../sim/index.ts";
import { median } from "../../common/index.ts";

const clock = { render: 0, frameModel: 0, inference: 0, physics: 0 };

/** Replaces `obj[key]` (a method) by a version adding its wall time (ms) to `clock[slot]`; async methods count until they settle. Returns the undo. */
function timeMethod<T extends object>(obj: T, key: keyof T & string, slot: keyof typeof clock): () => void {
  const original = obj[key] as unknown as (...a: unknown[]) => unknown;
  (obj as Record<string, unknown>)[key] = function (this: unknown, ...a: unknown[]) {
    const t0 = performance.now();
    const r = original.apply(this, a);
    if (r instanceof Promise) return r.finally(() => (clock[slot] += performance.now() - t0));
    clock[slot] += performance.now() - t0;
    return r;
  };
  return () => ((obj as Record<string, unknown>)[key] = original);
}

/** One application's medians: real-time factor and the wall-time breakdown (ms per run). */
export interface OnnxLoopRow {
  app: string;
  realtimeFactor: number;
  simSeconds: number;
  wallSeconds: number;
  renderMs: number;
  preprocessMs: number;
  inferenceMs: number;
  fusionControlMs: number;
  physicsMs: number;
  /** Camera frames per run. */
  frames: number;
}

async function bench(app: string, config: RunConfigInput, fps: number, runs: number): Promise<OnnxLoopRow> {
  const rows: OnnxLoopRow[] = [];
  for (let k = 0; k < runs; k++) {
    for (const key of Object.keys(clock) as (keyof typeof clock)[]) clock[key] = 0;
    const t0 = performance.now();
    const { summary } = await runPipeline(config, 1 + k);
    const wall = performance.now() - t0;
    rows.push({
      app,
      realtimeFactor: summary.duration / (wall / 1000),
      simSeconds: summary.duration,
      wallSeconds: wall / 1000,
      renderMs: clock.render,
      preprocessMs: clock.frameModel - clock.inference,
      inferenceMs: clock.inference,
      physicsMs: clock.physics,
      fusionControlMs: wall - clock.render - clock.frameModel - clock.physics,
      frames: Math.round(summary.duration * fps),
    });
  }
  const pick = (f: (r: OnnxLoopRow) => number) => median(rows.map(f));
  return {
    app,
    realtimeFactor: pick((r) => r.realtimeFactor),
    simSeconds: pick((r) => r.simSeconds),
    wallSeconds: pick((r) => r.wallSeconds),
    renderMs: pick((r) => r.renderMs),
    preprocessMs: pick((r) => r.preprocessMs),
    inferenceMs: pick((r) => r.inferenceMs),
    fusionControlMs: pick((r) => r.fusionControlMs),
    physicsMs: pick((r) => r.physicsMs),
    frames: pick((r) => r.frames),
  };
}

/**
 * Runs the section: `runs` seeds of each application with the models in
 * `modelsDir` (default `models`); prints its table and returns the medians.
 */
export async function benchOnnxLoop(opts: { runs: number; modelsDir?: string }): Promise<{ cropfollow: OnnxLoopRow; gem: OnnxLoopRow }> {
  const dir = opts.modelsDir ?? "models";
  const onnx = (model: string) => ({ kind: "onnx" as const, model: join(dir, model), threads: 1 });
  const undo = [
    timeMethod(SoftwareRenderer.prototype, "render", "render"),
    timeMethod(OnnxFrameModel.prototype, "run", "frameModel"),
    // The factory type hides it, but sessions are instances of this class.
    timeMethod((ort.InferenceSession as unknown as { prototype: { run: unknown } }).prototype, "run", "inference"),
    timeMethod(World.prototype, "step", "physics"),
  ];
  let cf: OnnxLoopRow;
  let gem: OnnxLoopRow;
  try {
    cf = await bench(
      "cropfollow",
      { pipeline: "cropfollow", world: "cropfield-straight", perception: onnx("cropfollow.onnx"), fps: 10 },
      10,
      opts.runs,
    );
    gem = await bench("gem", { pipeline: "gem", world: "gem-track", perception: onnx("lanenet.onnx"), fps: 20 }, 20, opts.runs);
  } finally {
    for (const u of undo) u();
  }
  const pct = (ms: number, r: OnnxLoopRow) => `${((100 * ms) / (r.wallSeconds * 1000)).toFixed(1)}%`;
  const perFrame = (ms: number, r: OnnxLoopRow) => (ms / Math.max(1, r.frames)).toFixed(3);
  console.log(`\nNN in the loop (shipped models, one thread), medians of ${opts.runs} seeds — ms per camera frame (share of wall time)`);
  console.table(
    [cf, gem].map((r) => ({
      app: r.app,
      "real-time factor": r.realtimeFactor.toFixed(2),
      "sim s": r.simSeconds.toFixed(1),
      "wall s": r.wallSeconds.toFixed(2),
      render: `${perFrame(r.renderMs, r)} (${pct(r.renderMs, r)})`,
      preprocessing: `${perFrame(r.preprocessMs, r)} (${pct(r.preprocessMs, r)})`,
      inference: `${perFrame(r.inferenceMs, r)} (${pct(r.inferenceMs, r)})`,
      "fusion/control": `${perFrame(r.fusionControlMs, r)} (${pct(r.fusionControlMs, r)})`,
      physics: `${perFrame(r.physicsMs, r)} (${pct(r.physicsMs, r)})`,
    })),
  );
  console.log("target: CropFollow ≥ 10× real time");
  return { cropfollow: cf, gem };
}
