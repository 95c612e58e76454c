/**
 * What one perception frame of an application yields for a replay: the names
 * of its output values and of the ground truth they are compared with (the
 * same quantities, measured from the simulator at capture time).
 */
export interface PerceptionFields {
  /** The perception's outputs, e.g. `heading`, `distanceRatio` (CropFollow) or the lane estimate (GEM). */
  output: readonly string[];
  /** Ground truth of the same quantities at capture, in the same order. */
  truth: readonly string[];
}

/** CropFollow: the two regression outputs (φ rad, d ratio) against the row frame. */
export const ROW_PERCEPTION_FIELDS: PerceptionFields = { output: ["heading", "distanceRatio"], truth: ["heading", "distanceRatio"] };

/**
 * GEM: the lane estimate made from the network's mask by the post-processor (front-axle cross-track m,
 * heading error rad) and the number of mask pixels set, against the lane frame (truth has no pixel count).
 */
export const LANE_PERCEPTION_FIELDS: PerceptionFields = { output: ["crossTrack", "heading", "maskPixels"], truth: ["crossTrack", "heading"] };

/**
 * Per-frame perception record of one run: capture time, outputs and truth,
 * in one growable Float64Array (row-major: `t`, outputs, truths). Rows are
 * written through {@link row}, a reused scratch view, then committed. Also
 * keeps the latest lane mask (a reference to the perception's reused buffer,
 * valid until its next frame) so camera frames can show what the network saw.
 */
export class PerceptionLog {
  /** Values per row: 1 + outputs + truths. */
  readonly width: number;
  /** Scratch row: fill, then {@link commit}. */
  readonly row: Float64Array;
  /** The latest lane mask (H×W, 1 = marking) and its size, when the perception yields masks. */
  latestMask: { mask: Uint8Array; width: number; height: number } | undefined;
  private data: Float64Array;
  private n = 0;

  /** @param capacity expected number of frames (grows as needed). */
  constructor(
    readonly fields: PerceptionFields,
    capacity = 256,
  ) {
    this.width = 1 + fields.output.length + fields.truth.length;
    this.row = new Float64Array(this.width);
    this.data = new Float64Array(Math.max(16, capacity) * this.width);
  }

  /** Appends the scratch row. */
  commit(): void {
    if ((this.n + 1) * this.width > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(this.row, this.n * this.width);
    this.n++;
  }

  /** Frames recorded. */
  get length(): number {
    return this.n;
  }

  /** The recorded rows, row-major (a view, not a copy). */
  values(): Float64Array {
    return this.data.subarray(0, this.n * this.width);
  }
}
