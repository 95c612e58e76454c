import type { Random } from "../../../common/index.ts";
import type { TensorDataset } from "../TensorDataset.ts";

/** A training batch being assembled: flat buffers plus the dataset's layout. */
export interface Batch {
  /** size × C×H×W normalized inputs (NCHW); only the first `size` samples are valid. */
  inputs: Float32Array;
  /** size × targetSize targets. */
  targets: Float32Array;
  /** Samples in this batch. */
  size: number;
  /** The dataset the batch was drawn from (shapes, normalization, label flip map). */
  dataset: TensorDataset;
}

/**
 * An in-place, seeded training-time augmentation. It must draw all its
 * randomness from `rng`, in a fixed order, so that a resumed run repeats the
 * exact same augmented batches.
 */
export interface Augmentation {
  readonly name: string;
  apply(batch: Batch, rng: Random): void;
}
