import { attrInt } from "../../../optimizer/onnx/attributes.ts";
import type { Model, Tensor } from "../../../optimizer/onnx/ir.ts";
import type { PruningGroup } from "../../../optimizer/approx/dependency/PruningGroup.ts";

/** Sets t[..., i, ...] = 0 (index `i` on `axis`) for each i in `indices`. */
export function zeroAlong(t: Tensor, axis: number, indices: Iterable<number>): void {
  const dims = t.dims;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const data = t.data as Float32Array;
  for (const i of indices) for (let o = 0; o < outer; o++) data.fill(0, (o * dims[axis] + i) * inner, (o * dims[axis] + i + 1) * inner);
}

/**
 * Zeroes, in `model`, every weight that writes group channels `chans` (conv
 * filters and biases, BatchNorm scale and shift, Gemm rows) and every weight
 * that reads them (conv input slices, Gemm columns), written independently
 * of the pruning rules so tests do not check the rules against themselves.
 */
export function zeroGroupChannels(model: Model, group: PruningGroup, chans: number[]): void {
  const init = model.graph.initializers;
  for (const m of group.members) {
    const node = model.graph.nodes[m.node.index];
    const slot = group.slots[m.slot];
    const idx: number[] = [];
    for (const j of chans) for (let k = slot.starts[j]; k < slot.starts[j + 1]; k++) idx.push(slot.indices[k]);
    const w = init.get(node.inputs[1]);
    const b = node.inputs[2] ? init.get(node.inputs[2]) : undefined;
    const op = node.opType;
    if (m.side === "out") {
      if (op === "Conv") {
        zeroAlong(w!, 0, idx);
        if (b) zeroAlong(b, 0, idx);
      } else if (op === "ConvTranspose") {
        // Depthwise transposed convs: the input side (same group) zeroes the weights.
        if (attrInt(node, "group", 1) === 1) zeroAlong(w!, 1, idx);
        if (b) zeroAlong(b, 0, idx);
      } else if (op === "BatchNormalization") {
        zeroAlong(w!, 0, idx);
        zeroAlong(b!, 0, idx);
      } else if (op === "Gemm") {
        zeroAlong(w!, attrInt(node, "transB", 0) ? 0 : 1, idx);
        if (b) zeroAlong(b, 0, idx);
      }
    } else if (op === "Conv" && attrInt(node, "group", 1) === 1) zeroAlong(w!, 1, idx);
    else if (op === "ConvTranspose") zeroAlong(w!, 0, idx);
    else if (op === "Gemm") zeroAlong(w!, attrInt(node, "transB", 0) ? 1 : 0, idx);
    else if (op === "MatMul") zeroAlong(w!, 0, idx);
  }
}
