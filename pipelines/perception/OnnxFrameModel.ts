import { existsSync, statSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { InputError, check } from "../../common/index.ts";
import { preprocessFrame, type FramePreprocessing } from "./preprocessFrame.ts";

export type { FramePreprocessing } from "./preprocessFrame.ts";

/**
 * A CNN on camera frames through onnxruntime-node. The model takes one
 * float32 input of shape [N, 3, H, W] (N may be symbolic; H and W must be
 * fixed: the simulation renders frames at exactly that size, so there is no
 * resizing). Preprocessing: {@link preprocessFrame} (RGB bytes → planar NCHW
 * float, x/255, then (x − mean[c]) / std[c]).
 */
export class OnnxFrameModel {
  readonly inputName: string;
  readonly width: number;
  readonly height: number;
  private readonly input: Float32Array;
  // float64, and x·scale − shift in that order: bit-identical to loadDataset's normalization of the same bytes.
  private readonly scale = new Float64Array(3);
  private readonly shift = new Float64Array(3);

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    private readonly pre: FramePreprocessing,
  ) {
    const meta = session.inputMetadata[0];
    check(
      session.inputNames.length === 1 && meta?.isTensor,
      path,
      () => `expected one tensor input, got ${session.inputNames.join(", ") || "none"}`,
    );
    const shape = (meta as ort.InferenceSession.TensorValueMetadata).shape;
    check(
      shape.length === 4 && shape[1] === 3 && typeof shape[2] === "number" && typeof shape[3] === "number",
      `${path}: input ${meta.name}`,
      () => `expected shape [N, 3, H, W] with fixed H and W, got [${shape.join(", ")}]`,
    );
    this.inputName = meta.name;
    this.height = shape[2] as number;
    this.width = shape[3] as number;
    this.input = new Float32Array(3 * this.width * this.height);
    for (let c = 0; c < 3; c++) {
      this.scale[c] = 1 / (255 * pre.std[c]);
      this.shift[c] = pre.mean[c] / pre.std[c];
    }
  }

  /** Loads a model file. @throws InputError when the file is missing, unreadable, or has the wrong input. */
  static async load(path: string, pre: FramePreprocessing, threads = 1): Promise<OnnxFrameModel> {
    check(existsSync(path), path, () => "no such ONNX model file");
    check(statSync(path).size > 0, path, () => "empty file, not an ONNX model");
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
    } catch (e) {
      throw new InputError(path, `onnxruntime could not load the model (${(e as Error).message.split("\n")[0]})`);
    }
    return new OnnxFrameModel(session, path, pre);
  }

  /** Runs the model on one RGB frame (H×W×3 bytes); returns every output by name. */
  async run(rgb: Uint8Array): Promise<Record<string, ort.Tensor>> {
    const { width, height } = this;
    check(rgb.length === width * height * 3, `${this.path}: input frame`, () => `expected ${width}×${height}×3 bytes, got ${rgb.length}`);
    preprocessFrame(rgb, width, height, this.pre, this.input);
    const feeds = { [this.inputName]: new ort.Tensor("float32", this.input, [1, 3, height, width]) };
    return this.session.run(feeds);
  }

  /** Declared shape of output `i` (symbolic dims as strings), or undefined when the model does not say. */
  outputShape(i: number): readonly (number | string)[] | undefined {
    const meta = this.session.outputMetadata[i];
    return meta?.isTensor ? (meta as ort.InferenceSession.TensorValueMetadata).shape : undefined;
  }

  /** Output `i` as `"name" [N, 2]` for messages. */
  describeOutput(i: number): string {
    const shape = this.outputShape(i);
    return `"${this.outputNames[i]}" ${shape ? `[${shape.map((d, k) => (k === 0 && typeof d !== "number" ? "N" : String(d))).join(", ")}]` : "(shape not declared)"}`;
  }

  /** Values per sample of output `i` (batch dim excluded), or undefined when not fixed. */
  outputValues(i: number): number | undefined {
    const dims = this.outputShape(i)?.slice(1);
    return dims && dims.every((d) => typeof d === "number") ? (dims as number[]).reduce((a, b) => a * b, 1) : undefined;
  }

  /** Output names, in the model's order. */
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
