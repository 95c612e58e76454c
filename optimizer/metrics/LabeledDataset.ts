/**
 * The part of a loaded dataset the metrics read. `loadDataset` returns
 * (at least) this.
 *
 * Invariants: `images.length === size * C * H * W` with `inputShape = [C, H, W]`;
 * `labels.length` is a multiple of `size` (the label width, e.g. 2 for
 * heading + distance, H×W for lane masks).
 */
export interface LabeledDataset {
  /** Number of samples N. */
  readonly size: number;
  /** Shape of one input sample, `[C, H, W]`. */
  readonly inputShape: readonly number[];
  /** N×C×H×W, row-major. */
  readonly images: Float32Array;
  /** N×(label width), row-major. */
  readonly labels: Float32Array;
  /**
   * Optional names of the label columns (length = label width), so an
   * {@link ErrorMetric} can pick the column named like its model.
   */
  readonly labelNames?: readonly string[];
}
