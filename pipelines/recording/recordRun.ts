import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { QosGoal } from "../qos/QosGoal.ts";
import type { RunSummary } from "../qos/RunSummary.ts";
import type { RunConfig } from "../RunConfig.ts";
import { runPipeline } from "../runPipeline.ts";
import { drawPerceptionOverlay } from "./drawPerceptionOverlay.ts";
import type { RunRecording } from "./RunRecording.ts";
import { writeRecording } from "./writeRecording.ts";

/** Camera frames of a replay: rate and size of the JPEGs. */
export interface RecordFramesOptions {
  /** Frames per simulated second. @default 2 */
  fps?: number;
  /** Image size when the perception has no camera of its own (pixels). @default 320×240 */
  width?: number;
  height?: number;
  /** JPEG quality, 1–100. @default 80 */
  quality?: number;
}

/** Options of {@link recordRun}. */
export interface RecordRunOptions {
  goal?: QosGoal;
  pass?: boolean;
  /** Add camera frames with the perception output drawn on them. */
  frames?: RecordFramesOptions;
  /**
   * The run as first evaluated (e.g. on a worker pool), with its trajectory and perception rows. Without
   * `frames` it is written as is; with `frames` the run is repeated here with the camera on, and the
   * repeat must reproduce its trajectory bit for bit.
   */
  summary?: RunSummary;
}

/**
 * Writes a replay of `config` on `seed` into `dir` (see `RunRecordingSchema`).
 * Camera frames need the simulation to render, so a recording with frames
 * repeats the run in this thread (runs are deterministic: the repeat is
 * checked against `summary`'s trajectory hash).
 * @throws Error when the repeat does not reproduce the evaluated run.
 */
export async function recordRun(dir: string, config: RunConfig, seed: number, opts: RecordRunOptions = {}): Promise<RunRecording> {
  let summary = opts.summary;
  const frames: { t: number; file: string }[] = [];
  if (!summary || opts.frames) {
    const f = opts.frames;
    const pending: Promise<unknown>[] = [];
    if (f) mkdirSync(join(dir, "camera"), { recursive: true });
    const run = await runPipeline(config, seed, {
      recordPerception: true,
      ...(f
        ? {
            frames: {
              width: f.width ?? 320,
              height: f.height ?? 240,
              every: 1 / (f.fps ?? 2),
              onFrame: (rgb, width, height, t, log) => {
                if (log) drawPerceptionOverlay(rgb, width, height, log);
                const file = join("camera", `${String(frames.length).padStart(6, "0")}.jpg`);
                frames.push({ t, file });
                // Encoded from a copy: the renderer reuses its buffer for the next frame.
                const copy = Buffer.from(rgb);
                pending.push(
                  sharp(copy, { raw: { width, height, channels: 3 } })
                    .jpeg({ quality: f.quality ?? 80 })
                    .toBuffer()
                    .then((jpg) => writeFileSync(join(dir, file), jpg)),
                );
              },
            },
          }
        : {}),
    });
    await Promise.all(pending);
    if (opts.summary && run.summary.trajectoryHash !== opts.summary.trajectoryHash) {
      throw new Error(
        `recordRun: seed ${seed} did not repeat bit for bit with the camera on (trajectory hash ${run.summary.trajectoryHash} ≠ ${opts.summary.trajectoryHash})`,
      );
    }
    summary = { ...run.summary, trajectory: run.trajectory.values(), perception: run.perception?.values() };
  }
  return writeRecording(dir, { config, seed, summary, goal: opts.goal, pass: opts.pass, frames });
}
