import { z } from "zod";
import { InputError } from "../../common/index.ts";

const finite = z.number({ error: "expected a number" }).refine(Number.isFinite, { error: "expected a finite number" });

/**
 * One line of `trajectory.jsonl`, the schema shared by `approxcaliper sim`
 * (open loop) and `approxcaliper run` (closed loop, one file per seed). Lines
 * are in time order; fields a writer does not know are left out, never zeroed.
 *
 * @example
 * {"t":0.05,"pose":{"x":0.03,"y":0,"yaw":0.001},"command":{"v":0.6,"omega":0.02},
 *  "truth":{"crossTrack":0.004,"heading":0.001},"estimate":{"crossTrack":0.01,"heading":-0.003}}
 */
export const TrajectoryLineSchema = z.strictObject({
  /** Simulated time (s). */
  t: finite,
  /** True pose of the body centre: world metres (x, y) and yaw (rad, counter-clockwise from +x). */
  pose: z.strictObject({ x: finite, y: finite, yaw: finite }),
  /** Measured body velocity: forward speed (m/s) and yaw rate (rad/s). Open loop only. */
  velocity: z.strictObject({ v: finite, omega: finite }).optional(),
  /**
   * The command in force: TerraSentia `{ v (m/s), omega (rad/s) }`, GEM `{ speed (m/s), steer (rad) }`.
   * Absent before the first command.
   */
  command: z.union([z.strictObject({ v: finite, omega: finite }), z.strictObject({ speed: finite, steer: finite })]).optional(),
  /**
   * Ground truth relative to the row or lane: cross-track error (m, > 0 left of the centre line; crop
   * field: robot centre vs the inter-row centre; track: front axle vs the right lane's centre) and
   * heading error (rad, robot yaw − row/lane tangent).
   */
  truth: z.strictObject({ crossTrack: finite, heading: finite }).optional(),
  /** The closed loop's own estimate of the same two quantities (what its controller acted on). Closed loop only. */
  estimate: z.strictObject({ crossTrack: finite, heading: finite }).optional(),
});

/** See {@link TrajectoryLineSchema}. */
export type TrajectoryLine = z.output<typeof TrajectoryLineSchema>;

/**
 * Parses a `trajectory.jsonl` text.
 * @param file named in errors, with the line number and field at fault.
 * @throws InputError on a line that is not JSON or does not match {@link TrajectoryLineSchema}.
 */
export function parseTrajectoryJsonl(text: string, file: string): TrajectoryLine[] {
  const out: TrajectoryLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(lines[i]);
    } catch {
      throw new InputError(`${file}:${i + 1}`, "not a JSON line");
    }
    const r = TrajectoryLineSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new InputError(`${file}:${i + 1}`, `${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    out.push(r.data);
  }
  return out;
}
