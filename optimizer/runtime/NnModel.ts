import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { InputError, median, Random } from "../../common/index.ts";
import type { Model } from "../onnx/ir.ts";
import { DataType } from "../onnx/ir.ts";

/** A tensor fed to or read from {@link NnModel.runFeeds}. */
export interface TypedTensor {
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
  dims: number[];
}

/** Result of {@link NnModel.measureLatency}, in milliseconds. */
export interface LatencyStats {
  medianMs: number;
  p90Ms: number;
  minMs: number;
  meanMs: number;
  /** Timed runs (warm-up excluded). */
  runs: number;
}

const ORT_TYPE: Partial<Record<DataType, ort.Tensor.Type>> = {
  [DataType.FLOAT]: "float32",
  [DataType.DOUBLE]: "float64",
  [DataType.INT32]: "int32",
  [DataType.INT64]: "int64",
  [DataType.UINT8]: "uint8",
  [DataType.INT8]: "int8",
  [DataType.BOOL]: "bool",
};

/**
 * A loaded model ready for inference: one onnxruntime-node session over the
 * IR `model`. Create it with `loadModel`. Inputs are NCHW float32, row-major,
 * batch-major; `inputShape` is the shape at batch 1.
 */
export class NnModel {
  /** The IR the session was built from (do not edit while the session lives). */
  readonly model: Model;
  /** Name of the (first) graph input that {@link run} feeds. */
  readonly inputName: string;
  /** Graph output names, in graph order. */
  readonly outputNames: string[];
  /** Shape of the input at batch 1 (a symbolic batch dim becomes 1), e.g. `[1, 3, 96, 128]`. */
  readonly inputShape: number[];
  /** True when the model's batch dim is symbolic, so {@link run} accepts any batch. */
  readonly dynamicBatch: boolean;
  private readonly session: ort.InferenceSession;
  private readonly where: string;
  private disposed = false;

  /** @internal use `loadModel`. */
  constructor(session: ort.InferenceSession, model: Model, where: string) {
    this.session = session;
    this.model = model;
    this.where = where;
    const input = model.graph.inputs[0];
    if (!input) throw new InputError(where, "the model has no graph input");
    if (input.dataType !== DataType.FLOAT) throw new InputError(where, `input "${input.name}" is not float32`);
    if (!input.shape) throw new InputError(where, `input "${input.name}" has no declared shape`);
    this.inputName = input.name;
    this.outputNames = model.graph.outputs.map((o) => o.name);
    this.dynamicBatch = typeof input.shape[0] !== "number";
    this.inputShape = input.shape.map((d, i) => {
      if (typeof d === "number") return d;
      if (i === 0) return 1;
      throw new InputError(where, `input "${input.name}" has symbolic dim ${String(d)} at axis ${i}; only the batch dim may be symbolic`);
    });
  }

  /**
   * Runs `batch` samples (default 1) laid out back to back in `input`.
   * Returns the single output's values, or all outputs by name when the
   * model has several (non-float outputs are converted to float32).
   *
   * @throws InputError naming the input tensor and the expected shape when
   *   `input.length` does not match, or when the model's batch is fixed.
   */
  async run(input: Float32Array, batch = 1): Promise<Float32Array | Record<string, Float32Array>> {
    const dims = this.batchDims(input.length, batch);
    const out = await this.session.run({ [this.inputName]: new ort.Tensor("float32", input, dims) });
    if (this.outputNames.length === 1) return toFloat32(out[this.outputNames[0]]);
    const result: Record<string, Float32Array> = {};
    for (const name of this.outputNames) result[name] = toFloat32(out[name]);
    return result;
  }

  /**
   * Runs with explicit named, typed inputs (for models with several inputs
   * or non-float ones). Returns every graph output with its dims.
   */
  async runFeeds(feeds: Record<string, TypedTensor>): Promise<Record<string, TypedTensor>> {
    this.checkAlive();
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const v of this.model.graph.inputs) {
      const f = feeds[v.name];
      if (!f) throw new InputError(`${this.where}: input "${v.name}"`, "missing from the feeds");
      const type = ORT_TYPE[v.dataType];
      if (!type) throw new InputError(`${this.where}: input "${v.name}"`, `data type ${v.dataType} is not supported`);
      const n = f.dims.reduce((a, b) => a * b, 1);
      if (n !== f.data.length) {
        throw new InputError(`${this.where}: input "${v.name}"`, `${f.data.length} values do not fill dims [${f.dims.join(", ")}] (${n})`);
      }
      ortFeeds[v.name] = new ort.Tensor(type, f.data as never, f.dims);
    }
    for (const name of Object.keys(feeds)) {
      if (!ortFeeds[name]) throw new InputError(`${this.where}: input "${name}"`, "is not an input of the model");
    }
    const out = await this.session.run(ortFeeds);
    const result: Record<string, TypedTensor> = {};
    for (const name of this.outputNames) result[name] = { data: out[name].data as TypedTensor["data"], dims: [...out[name].dims] };
    return result;
  }

  /**
   * Inference latency at batch 1 on a fixed pseudo-random input: `warmup`
   * untimed runs, then the median and 90th percentile of `runs` timed ones.
   *
   * @param opts.warmup untimed runs first. @default 5
   * @param opts.runs timed runs. @default 50
   */
  async measureLatency(opts: { warmup?: number; runs?: number } = {}): Promise<LatencyStats> {
    const warmup = opts.warmup ?? 5;
    const runs = opts.runs ?? 50;
    if (!Number.isInteger(runs) || runs < 1) throw new InputError("measureLatency.runs", `expected a positive integer, got ${runs}`);
    const n = this.inputShape.reduce((a, b) => a * b, 1);
    const rng = new Random("latency-input");
    const input = Float32Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < warmup; i++) await this.run(input);
    const times = new Float64Array(runs);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await this.run(input);
      times[i] = performance.now() - t0;
    }
    const sorted = times.slice().sort();
    const quantile = (q: number) => sorted[Math.min(runs - 1, Math.ceil(q * runs) - 1)];
    return { medianMs: median(times), p90Ms: quantile(0.9), minMs: sorted[0], meanMs: times.reduce((a, b) => a + b, 0) / runs, runs };
  }

  /** Releases the onnxruntime session. Further runs throw. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.release();
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error(`${this.where}: model was disposed`);
  }

  private batchDims(length: number, batch: number): number[] {
    this.checkAlive();
    const where = `${this.where}: input "${this.inputName}"`;
    if (!Number.isInteger(batch) || batch < 1) throw new InputError(where, `batch must be a positive integer, got ${batch}`);
    if (!this.dynamicBatch && batch !== this.inputShape[0]) {
      throw new InputError(where, `the model's batch dim is fixed to ${this.inputShape[0]}; cannot run batch ${batch}`);
    }
    const dims = [this.dynamicBatch ? batch : this.inputShape[0], ...this.inputShape.slice(1)];
    const expected = dims.reduce((a, b) => a * b, 1);
    if (length !== expected) {
      throw new InputError(where, `expected ${expected} values for shape [${dims.join(", ")}], got ${length}`);
    }
    return dims;
  }
}

function toFloat32(t: ort.Tensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  return Float32Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}
