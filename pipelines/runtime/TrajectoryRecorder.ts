import { createHash } from "node:crypto";
import type { RobotKind, TrajectoryLine } from "../../sim/index.ts";

/** Column names of a {@link TrajectoryRecorder} row, in storage order. */
export const TRAJECTORY_FIELDS = [
  "t", // simulated time (s)
  "x", // true pose (m, m, rad)
  "y",
  "yaw",
  "cmd0", // TerraSentia: v (m/s); GEM: speed (m/s) (named in trajectory.jsonl, see trajectoryLine)
  "cmd1", // TerraSentia: ω (rad/s); GEM: steering (rad)
  "crossTrack", // true lateral offset from the lane/inter-row centre (m, > 0 left)
  "heading", // true heading relative to the row/lane (rad)
  "estCrossTrack", // the pipeline's estimate of the same (m)
  "estHeading", // (rad)
] as const;

/** One named trajectory column. */
export type TrajectoryField = (typeof TRAJECTORY_FIELDS)[number];

const NF = TRAJECTORY_FIELDS.length;

/**
 * Closed-loop trajectory at the control rate, in one growable Float64Array
 * (row-major, {@link TRAJECTORY_FIELDS} columns). Rows are written through
 * {@link row}, a reused scratch view, then {@link commit}ted.
 */
export class TrajectoryRecorder {
  private data: Float64Array;
  private n = 0;
  /** Scratch row: fill, then {@link commit}. */
  readonly row = new Float64Array(NF);

  /** @param capacity expected number of rows (grows as needed). */
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity) * NF);
  }

  /** Appends the scratch row. */
  commit(): void {
    if ((this.n + 1) * NF > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(this.row, this.n * NF);
    this.n++;
  }

  /** Rows recorded. */
  get length(): number {
    return this.n;
  }

  /** Value of `field` in row `i`. */
  get(i: number, field: TrajectoryField): number {
    return this.data[i * NF + TRAJECTORY_FIELDS.indexOf(field)];
  }

  /** The recorded rows, row-major (a view, not a copy). */
  values(): Float64Array {
    return this.data.subarray(0, this.n * NF);
  }

  /** SHA-256 of the raw bytes of all rows: equal only when the runs are identical bit for bit. */
  hash(): string {
    const v = this.values();
    return createHash("sha256")
      .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
      .digest("hex");
  }
}

/**
 * Row `i` of row-major trajectory values ({@link TRAJECTORY_FIELDS} columns) as a
 * `trajectory.jsonl` line object, with the command named for the robot.
 */
export function trajectoryLine(rows: Float64Array, i: number, robot: RobotKind): TrajectoryLine {
  const o = i * NF;
  return {
    t: rows[o],
    pose: { x: rows[o + 1], y: rows[o + 2], yaw: rows[o + 3] },
    command: robot === "gem" ? { speed: rows[o + 4], steer: rows[o + 5] } : { v: rows[o + 4], omega: rows[o + 5] },
    truth: { crossTrack: rows[o + 6], heading: rows[o + 7] },
    estimate: { crossTrack: rows[o + 8], heading: rows[o + 9] },
  };
}

/** Row-major trajectory values as `trajectory.jsonl` text (see `TrajectoryLineSchema`): one line per row, trailing newline. */
export function trajectoryToJsonl(rows: Float64Array, robot: RobotKind): string {
  let out = "";
  for (let i = 0; (i + 1) * NF <= rows.length; i++) out += JSON.stringify(trajectoryLine(rows, i, robot)) + "\n";
  return out;
}
