/**
 * Predictions of one NN along closed-loop runs, in time order: what the
 * network saw frame after frame, against the ground truth at capture. The
 * material for how its errors are correlated in time (a dataset of
 * independent views cannot show that).
 */
export interface ErrorSequences {
  /** Frames×outputs, sample-major, runs one after another. */
  predictions: Float32Array;
  /** Same layout as `predictions`. */
  labels: Float32Array;
  /** Frames of each run, in order (they sum to the frame count). */
  runs: number[];
  /** Time between consecutive frames (s). */
  frameInterval: number;
}
