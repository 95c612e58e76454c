import { check } from "../../common/index.ts";
import type { Random } from "../../common/index.ts";

/** What a dataset's targets are: fixed-length label vectors or per-pixel masks. */
export type TargetKind = "vector" | "mask";

/** A component-wise affine label map `y'[i] = scale[i]·y[i] + offset[i]` (e.g. for horizontal flips). */
export interface LabelMap {
  scale: number[];
  offset: number[];
}

/** Construction options of {@link TensorDataset}. */
export interface TensorDatasetOptions {
  /** Inputs, N×C×H×W row-major (NCHW), already normalized. */
  inputs: Float32Array;
  /** Targets, N × product(targetShape). */
  targets: Float32Array;
  /** [C, H, W] of one input. */
  inputShape: [number, number, number];
  /** Shape of one target: `[L]` for vectors, `[1, H, W]` for masks. */
  targetShape: number[];
  /** @default "vector" when targetShape has rank 1, else "mask" */
  targetKind?: TargetKind;
  /** Per-channel mean used to normalize the inputs (pixels in [0, 1]). @default 0 */
  mean?: number[];
  /** Per-channel std used to normalize the inputs. @default 1 */
  std?: number[];
  /** How a horizontal flip maps a vector target (see {@link LabelMap}). */
  labelFlip?: LabelMap;
  /** Label component names, for reports. */
  labelNames?: string[];
}

/**
 * An in-memory dataset of normalized NCHW images and their targets.
 *
 * Everything lives in two flat Float32Arrays so that batches are gathered
 * with `copyWithin`-style block copies, no per-sample objects.
 */
export class TensorDataset {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly inputShape: readonly [number, number, number];
  readonly targetShape: readonly number[];
  readonly targetKind: TargetKind;
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly labelFlip?: LabelMap;
  readonly labelNames?: readonly string[];
  /** Number of samples. */
  readonly size: number;
  /** Floats per input (C·H·W). */
  readonly inputSize: number;
  /** Floats per target. */
  readonly targetSize: number;

  constructor(opts: TensorDatasetOptions) {
    const [c, h, w] = opts.inputShape;
    this.inputSize = c * h * w;
    this.targetSize = opts.targetShape.reduce((a, b) => a * b, 1);
    check(
      this.inputSize > 0 && opts.inputs.length % this.inputSize === 0,
      "TensorDataset.inputs",
      () => `length ${opts.inputs.length} is not a multiple of C·H·W = ${this.inputSize}`,
    );
    this.size = opts.inputs.length / this.inputSize;
    check(
      opts.targets.length === this.size * this.targetSize,
      "TensorDataset.targets",
      () => `length ${opts.targets.length} ≠ ${this.size} samples × ${this.targetSize}`,
    );
    this.inputs = opts.inputs;
    this.targets = opts.targets;
    this.inputShape = [c, h, w];
    this.targetShape = [...opts.targetShape];
    this.targetKind = opts.targetKind ?? (opts.targetShape.length === 1 ? "vector" : "mask");
    this.mean = opts.mean ?? new Array<number>(c).fill(0);
    this.std = opts.std ?? new Array<number>(c).fill(1);
    check(this.mean.length === c && this.std.length === c, "TensorDataset.mean", () => `mean and std need ${c} values`);
    if (opts.labelFlip) {
      check(
        this.targetKind === "vector" && opts.labelFlip.scale.length === this.targetSize && opts.labelFlip.offset.length === this.targetSize,
        "TensorDataset.labelFlip",
        () => `needs ${this.targetSize} scale and offset values for vector targets`,
      );
      this.labelFlip = opts.labelFlip;
    }
    if (opts.labelNames) this.labelNames = [...opts.labelNames];
  }

  /** Alias of {@link inputs}, so a dataset is a metrics `LabeledDataset`. */
  get images(): Float32Array {
    return this.inputs;
  }

  /** Alias of {@link targets}, so a dataset is a metrics `LabeledDataset`. */
  get labels(): Float32Array {
    return this.targets;
  }

  /** Copies samples `indices` into `inputOut` / `targetOut` (each at least `indices.length` samples long). */
  gather(indices: ArrayLike<number>, inputOut: Float32Array, targetOut: Float32Array): void {
    const is = this.inputSize;
    const ts = this.targetSize;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      inputOut.set(this.inputs.subarray(i * is, (i + 1) * is), k * is);
      targetOut.set(this.targets.subarray(i * ts, (i + 1) * ts), k * ts);
    }
  }

  /** A new dataset holding copies of samples `indices`, in that order. */
  subset(indices: ArrayLike<number>): TensorDataset {
    const inputs = new Float32Array(indices.length * this.inputSize);
    const targets = new Float32Array(indices.length * this.targetSize);
    this.gather(indices, inputs, targets);
    return new TensorDataset({ ...this.options(), inputs, targets });
  }

  /**
   * `count` samples spread evenly over the dataset (every size/count-th, as
   * copies), so a subset of a dataset rendered world by world still covers
   * every world; this dataset itself when it has at most `count` samples.
   */
  strided(count: number): TensorDataset {
    check(count >= 1, "TensorDataset.strided", () => `count must be ≥ 1, got ${count}`);
    if (count >= this.size) return this;
    const step = this.size / count;
    return this.subset(Array.from({ length: count }, (_, i) => Math.floor(i * step)));
  }

  /**
   * Splits into [train, validation] with `fraction` of the samples (rounded,
   * at least one) going to validation, chosen by a shuffle from `rng`.
   */
  split(fraction: number, rng: Random): [TensorDataset, TensorDataset] {
    check(fraction > 0 && fraction < 1, "TensorDataset.split.fraction", () => `must be in (0, 1), got ${fraction}`);
    const nVal = Math.max(1, Math.round(this.size * fraction));
    check(nVal < this.size, "TensorDataset.split", () => `${this.size} samples are too few to split`);
    const order = rng.shuffle(Array.from({ length: this.size }, (_, i) => i));
    return [this.subset(order.slice(nVal)), this.subset(order.slice(0, nVal))];
  }

  private options(): Omit<TensorDatasetOptions, "inputs" | "targets"> {
    return {
      inputShape: [...this.inputShape] as [number, number, number],
      targetShape: [...this.targetShape],
      targetKind: this.targetKind,
      mean: [...this.mean],
      std: [...this.std],
      labelFlip: this.labelFlip,
      labelNames: this.labelNames ? [...this.labelNames] : undefined,
    };
  }
}
