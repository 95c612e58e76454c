import { OnnxFrameModel } from "../../../pipelines/perception/OnnxFrameModel.ts";
import { parsePerceptionConfig } from "../../../pipelines/index.ts";

/**
 * The NCHW tensor the closed loop's ONNX perception builds from `rgb`: the
 * model at `path` must be an identity network, so its output is its input.
 * Uses the perception config defaults (the normalization `--perception onnx` runs with).
 */
export async function onnxSourceTensor(path: string, rgb: Uint8Array): Promise<Float32Array> {
  const config = parsePerceptionConfig({ kind: "onnx", model: path });
  if (config.kind !== "onnx") throw new Error("unreachable");
  const model = await OnnxFrameModel.load(path, config, 1);
  const out = await model.run(rgb);
  const data = Float32Array.from(out[model.outputNames[0]].data as Float32Array);
  await model.dispose();
  return data;
}
