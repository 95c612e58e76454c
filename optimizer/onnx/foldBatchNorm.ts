import { attrFloat, attrInt } from "./attributes.ts";
import { consumersOf, isGraphOutput, removeNode, removeUnusedInitializers, uniqueName } from "./editGraph.ts";
import type { Graph, Model, Node, Tensor } from "./ir.ts";
import { DataType } from "./ir.ts";

/**
 * Folds every inference-mode BatchNormalization whose input comes straight
 * from a Conv or ConvTranspose (read by nothing else) into that layer's
 * weights and bias, in place:
 * `scale = γ / √(var + ε)`, `W'[o] = W[o]·scale[o]`, `b' = (b − mean)·scale + β`.
 * Weights shared with other nodes are copied, not changed. BN nodes in
 * training mode, with extra outputs, or with non-constant parameters are
 * left alone.
 *
 * @returns the number of BatchNormalization nodes folded.
 */
export function foldBatchNorm(model: Model): number {
  const g = model.graph;
  let folded = 0;
  for (const bn of [...g.nodes]) {
    if (bn.opType !== "BatchNormalization" || bn.domain !== "") continue;
    if (attrInt(bn, "training_mode", 0) !== 0 || bn.outputs.filter((o) => o).length !== 1) continue;
    const params = bn.inputs.slice(1, 5).map((n) => g.initializers.get(n));
    if (params.some((t) => !t || t.dataType !== DataType.FLOAT)) continue;
    const layer = g.nodes.find((n) => n.outputs[0] === bn.inputs[0]);
    if (!layer || (layer.opType !== "Conv" && layer.opType !== "ConvTranspose") || layer.domain !== "") continue;
    if (consumersOf(g, layer.outputs[0]).length !== 1 || isGraphOutput(g, layer.outputs[0])) continue;
    const w = g.initializers.get(layer.inputs[1]);
    const b = layer.inputs[2] ? g.initializers.get(layer.inputs[2]) : undefined;
    if (!w || w.dataType !== DataType.FLOAT || (layer.inputs[2] && !b)) continue;
    const [gamma, beta, mean, variance] = params.map((t) => t!.data as Float32Array);
    const eps = attrFloat(bn, "epsilon", 1e-5);
    const channels = gamma.length;
    const scale = new Float64Array(channels);
    for (let c = 0; c < channels; c++) scale[c] = gamma[c] / Math.sqrt(variance[c] + eps);
    const newW = scaleWeights(layer, w, scale);
    if (!newW) continue;
    const newB = new Float32Array(channels);
    const oldB = b?.data as Float32Array | undefined;
    for (let c = 0; c < channels; c++) newB[c] = ((oldB ? oldB[c] : 0) - mean[c]) * scale[c] + beta[c];
    layer.inputs[1] = putTensor(g, layer, w.name, newW, w.dims, `${layer.name}.weight_bnfold`);
    const bName = b ? b.name : `${layer.name}.bias`;
    if (layer.inputs.length < 3) layer.inputs.push("");
    layer.inputs[2] = putTensor(g, layer, bName, newB, [channels], `${layer.name}.bias_bnfold`);
    // The BN was the layer's only reader, so the layer can produce the BN's output directly.
    g.valueInfo.delete(layer.outputs[0]);
    layer.outputs[0] = bn.outputs[0];
    removeNode(g, bn);
    folded++;
  }
  if (folded > 0) removeUnusedInitializers(g);
  return folded;
}

/** Weights scaled per output channel, or undefined when the layout does not match `scale`. */
function scaleWeights(layer: Node, w: Tensor, scale: Float64Array): Float32Array | undefined {
  const src = w.data as Float32Array;
  const out = new Float32Array(src.length);
  if (layer.opType === "Conv") {
    if (w.dims[0] !== scale.length) return undefined;
    const per = src.length / w.dims[0];
    for (let o = 0; o < w.dims[0]; o++) for (let k = 0; k < per; k++) out[o * per + k] = src[o * per + k] * scale[o];
    return out;
  }
  // ConvTranspose weights are [C_in, C_out/group, k...]; output channel = group·(C_out/group) + j.
  const group = attrInt(layer, "group", 1);
  const [cin, coutPerGroup] = w.dims;
  if (coutPerGroup * group !== scale.length) return undefined;
  const per = src.length / (cin * coutPerGroup);
  const cinPerGroup = cin / group;
  for (let i = 0; i < cin; i++) {
    const gi = Math.floor(i / cinPerGroup);
    for (let j = 0; j < coutPerGroup; j++) {
      const s = scale[gi * coutPerGroup + j];
      const base = (i * coutPerGroup + j) * per;
      for (let k = 0; k < per; k++) out[base + k] = src[base + k] * s;
    }
  }
  return out;
}

/** Stores `data` under `name` unless another node also reads `name`, then under a fresh name. */
function putTensor(g: Graph, layer: Node, name: string, data: Float32Array, dims: number[], fresh: string): string {
  const shared = name !== "" && g.nodes.some((n) => n !== layer && n.inputs.includes(name));
  const target = shared || !name || (!g.initializers.has(name) && uniqueName(g, name) !== name) ? uniqueName(g, fresh) : name;
  g.initializers.set(target, { name: target, dataType: DataType.FLOAT, dims: [...dims], data });
  return target;
}
