import { DataType, type Graph } from "../onnx/ir.ts";

/**
 * Input slots that hold learnable weights, per op type. BatchNormalization's
 * running mean/variance (slots 3, 4) are statistics, not parameters; Resize
 * scales, Clip bounds, shapes and axes are never trained.
 */
const WEIGHT_SLOTS: Record<string, readonly number[]> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  BatchNormalization: [1, 2],
  InstanceNormalization: [1, 2],
  LayerNormalization: [1, 2],
  PRelu: [1],
  Add: [0, 1],
  Sub: [0, 1],
  Mul: [0, 1],
  Div: [0, 1],
};

/**
 * The float32 initializers of `graph` that are learnable weights: those fed
 * to a weight slot of Conv, ConvTranspose, Gemm, MatMul, a normalization's
 * scale/bias, PRelu's slope, or an elementwise Add/Sub/Mul/Div (biases and
 * scales). Scalars (shape `[]`) are treated as constants. Sorted by name.
 */
export function trainableParameters(graph: Graph): string[] {
  const out = new Set<string>();
  for (const node of graph.nodes) {
    const slots = node.domain === "" || node.domain === "ai.onnx" ? WEIGHT_SLOTS[node.opType] : undefined;
    if (!slots) continue;
    for (const s of slots) {
      const t = graph.initializers.get(node.inputs[s] ?? "");
      if (t && t.dataType === DataType.FLOAT && t.dims.length > 0) out.add(t.name);
    }
  }
  return [...out].sort();
}
