import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RobotKind } from "../../sim/index.ts";
import { loadWorldScenario } from "../../worlds/index.ts";
import type { QosGoal } from "../qos/QosGoal.ts";
import type { RunSummary } from "../qos/RunSummary.ts";
import type { RunConfig } from "../RunConfig.ts";
import { getApplication } from "../application/applicationRegistry.ts";
import type { PerceptionFields } from "../runtime/PerceptionLog.ts";
import { trajectoryToJsonl } from "../runtime/TrajectoryRecorder.ts";
import { RECORDING_FORMAT, type PerceptionLine, type RunRecording } from "./RunRecording.ts";

/** What {@link writeRecording} needs: one finished run with its trajectory (and perception log). */
export interface RecordingInput {
  config: RunConfig;
  seed: number;
  /** The run, with `trajectory` (required) and `perception` (optional) rows kept. */
  summary: RunSummary;
  goal?: QosGoal;
  pass?: boolean;
  /** Camera frames already written into the folder, relative paths. */
  frames?: { t: number; file: string }[];
}

/** The robot and perception record layout of an application (from its spec). */
export function recordingLayout(pipeline: RunConfig["pipeline"]): { robot: RobotKind; perception: PerceptionFields } {
  const app = getApplication(pipeline);
  return { robot: app.robot, perception: app.perceptionFields ?? { output: [], truth: [] } };
}

/** Perception log rows (`t`, outputs, truths) as `perception.jsonl` text. */
export function perceptionToJsonl(rows: Float64Array, fields: PerceptionFields): string {
  const w = 1 + fields.output.length + fields.truth.length;
  let out = "";
  for (let o = 0; o + w <= rows.length; o += w) {
    const line: PerceptionLine = { t: rows[o], output: {}, truth: {} };
    fields.output.forEach((name, k) => (line.output[name] = rows[o + 1 + k]));
    fields.truth.forEach((name, k) => (line.truth[name] = rows[o + 1 + fields.output.length + k]));
    out += JSON.stringify(line) + "\n";
  }
  return out;
}

/**
 * Writes one run's replay into `dir` (created): `recording.json` (see
 * `RunRecordingSchema`), `trajectory.jsonl` and `perception.jsonl`. Frames, if
 * any, must already be in the folder. Returns the header written.
 * @throws Error when the summary carries no trajectory (it was not asked for).
 */
export function writeRecording(dir: string, input: RecordingInput): RunRecording {
  const { config, summary } = input;
  if (!summary.trajectory) throw new Error(`writeRecording: seed ${input.seed} was run without keeping its trajectory`);
  const layout = recordingLayout(config.pipeline);
  mkdirSync(dir, { recursive: true });
  const { trajectory, perception, seed: _seed, ...rest } = summary;
  const header: RunRecording = {
    format: RECORDING_FORMAT,
    pipeline: config.pipeline,
    robot: layout.robot,
    // The preset this seed drew from the configured scenario (a fixed preset draws itself).
    world: { name: config.world, preset: loadWorldScenario(config.world).draw(input.seed) as unknown as Record<string, unknown> },
    seed: input.seed,
    config: config as unknown as Record<string, unknown>,
    ...(input.goal ? { goal: input.goal as Record<string, unknown> } : {}),
    ...(input.pass !== undefined ? { pass: input.pass } : {}),
    summary: {
      collisions: rest.collisions,
      collisionEvents: rest.collisionEvents,
      completed: rest.completed,
      stopReason: rest.stopReason,
      duration: rest.duration,
      distanceMeters: rest.distanceMeters,
      crossTrackRms: rest.crossTrackRms,
      crossTrackMax: rest.crossTrackMax,
      headingRms: rest.headingRms,
      trajectoryHash: rest.trajectoryHash,
    },
    perception: { output: [...layout.perception.output], truth: [...layout.perception.truth] },
    frames: input.frames ?? [],
  };
  writeFileSync(join(dir, "trajectory.jsonl"), trajectoryToJsonl(trajectory, layout.robot));
  writeFileSync(join(dir, "perception.jsonl"), perception ? perceptionToJsonl(perception, layout.perception) : "");
  writeFileSync(join(dir, "recording.json"), JSON.stringify(header, null, 1) + "\n");
  return header;
}
