import { z } from "zod";
import { InputError } from "../../common/index.ts";
import type { WorldPreset } from "../../worlds/index.ts";

/** Format tag of `recording.json`; bumped when a reader could misread an older file. */
export const RECORDING_FORMAT = "approxcaliper-recording/1";

const finite = z.number().refine(Number.isFinite, { error: "expected a finite number" });

/**
 * `recording.json`, the header of one recorded closed-loop run (one seed). A
 * replay holds no geometry: the world is rebuilt from `world.preset` and
 * `seed` by the same `worlds/` code (in the browser, too). Beside it:
 * `trajectory.jsonl` (`TrajectoryLineSchema`, control rate), `perception.jsonl`
 * ({@link PerceptionLine}, perception rate) and, when frames were recorded,
 * `frames/NNNNNN.jpg` (the robot's camera with the perception output drawn).
 */
export const RunRecordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT, { error: `expected "${RECORDING_FORMAT}"` }),
  /** Application (`cropfollow`, `gem`). */
  pipeline: z.string(),
  /** Robot model (`terrasentia`, `gem`): names the trajectory's command fields. */
  robot: z.enum(["terrasentia", "gem"]),
  /** The world as configured (preset or scenario name or file) and the preset this seed drew from it, so the file travels alone. */
  world: z.object({ name: z.string(), preset: z.record(z.string(), z.unknown()) }),
  seed: z.number().int().nonnegative(),
  /** The validated run configuration (perception, rates, speed, …). */
  config: z.record(z.string(), z.unknown()),
  /** The QoS goal the run was judged against, and its verdict for this seed. */
  goal: z.record(z.string(), z.unknown()).optional(),
  pass: z.boolean().optional(),
  /** Run summary: collisions (with `collisionEvents` positions), completion, stop reason, errors, hash. */
  summary: z.object({
    collisions: z.number(),
    collisionEvents: z.array(z.object({ time: finite, obstacleId: z.number(), kind: z.string(), x: finite, y: finite })),
    completed: z.boolean(),
    stopReason: z.string(),
    duration: finite,
    distanceMeters: finite,
    crossTrackRms: finite,
    crossTrackMax: finite,
    headingRms: finite,
    trajectoryHash: z.string(),
  }),
  /** Names of the perception outputs and truths in `perception.jsonl`. */
  perception: z.object({ output: z.array(z.string()), truth: z.array(z.string()) }),
  /** Recorded camera frames: capture time (s) and file, relative to the recording folder. */
  frames: z.array(z.object({ t: finite, file: z.string() })),
});

/** See {@link RunRecordingSchema}. */
export type RunRecording = z.output<typeof RunRecordingSchema>;

/** One line of `perception.jsonl`: capture time (s), the perception's outputs and the truth at capture. */
export interface PerceptionLine {
  t: number;
  output: Record<string, number>;
  truth: Record<string, number>;
}

/** The preset a recording rebuilds its world from. */
export function recordedPreset(rec: RunRecording): WorldPreset {
  return rec.world.preset as unknown as WorldPreset;
}

/**
 * Validates a parsed `recording.json`.
 * @throws InputError naming the file and the field at fault.
 */
export function parseRunRecording(raw: unknown, file: string): RunRecording {
  const r = RunRecordingSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(file, `${issue.path.join(".") || "recording"}: ${issue.message}`);
  }
  return r.data;
}
