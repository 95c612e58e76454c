import { attrTensor } from "./attributes.ts";
import { removeDeadNodes, removeUnusedInitializers, uniqueName } from "./editGraph.ts";
import { analyzeShapes, type InferShapesOptions } from "./inferShapes.ts";
import type { Dim, Model, Tensor } from "./ir.ts";
import { DataType } from "./ir.ts";
import { allocateData } from "./tensor.ts";

/** Ops whose outputs become initializers when their values are known. */
const FOLDABLE = new Set(["Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Identity"]);

/** What {@link foldConstants} changed. */
export interface FoldConstantsResult {
  /** Nodes replaced by initializers. */
  foldedNodes: number;
  /** Nodes and initializers removed as dead afterwards. */
  removedNodes: number;
  removedInitializers: number;
}

/**
 * Folds the constant parts of a graph into initializers, in place:
 * `Constant` nodes, and the `Shape → Gather → Unsqueeze → Concat` chains that
 * PyTorch emits around Flatten/Reshape whenever their values are known from
 * static shapes. A Reshape target that still holds the symbolic batch dim
 * at the batch position becomes `0` (copy that dim), so a dynamic-batch
 * `x.view(x.size(0), -1)` folds to a constant `[0, -1]` and the model keeps
 * its dynamic batch. Dead nodes and unused initializers are removed after.
 *
 * @param opts.inputShapes fix symbolic input dims while folding (the graph
 *   inputs are updated to match).
 */
export function foldConstants(model: Model, opts: InferShapesOptions = {}): FoldConstantsResult {
  const g = model.graph;
  if (opts.inputShapes) {
    for (const v of g.inputs) if (opts.inputShapes[v.name]) v.shape = [...opts.inputShapes[v.name]];
  }
  rewriteReshapeTargets(model, opts);
  const { shapes, values } = analyzeShapes(model, opts);
  let folded = 0;
  const kept = [];
  for (const n of g.nodes) {
    const foldable = FOLDABLE.has(n.opType) && n.domain === "" && n.outputs.length === 1 && !g.outputs.some((o) => o.name === n.outputs[0]);
    const out = n.outputs[0];
    const info = shapes.get(out);
    const constTensor = n.opType === "Constant" ? attrTensor(n, "value") : undefined;
    const value = values.get(out);
    if (foldable && constTensor) {
      g.initializers.set(out, { ...constTensor, name: out });
      folded++;
    } else if (foldable && info?.shape && value && value.every((v) => typeof v === "number") && info.shape.every((d) => typeof d === "number")) {
      g.initializers.set(out, makeTensor(out, info.dataType, info.shape as number[], value as number[]));
      folded++;
    } else {
      kept.push(n);
    }
  }
  g.nodes = kept;
  const removedNodes = removeDeadNodes(g);
  const removedInitializers = removeUnusedInitializers(g);
  return { foldedNodes: folded, removedNodes, removedInitializers };
}

function makeTensor(name: string, dataType: DataType, dims: number[], values: number[]): Tensor {
  const data = allocateData(dataType, values.length);
  if (data instanceof BigInt64Array) values.forEach((v, i) => (data[i] = BigInt(Math.trunc(v))));
  else values.forEach((v, i) => ((data as Exclude<typeof data, BigInt64Array>)[i] = v));
  return { name, dataType, dims, data };
}

/** Replaces a Reshape's computed target that is constant up to symbolic copies of input dims by an initializer. */
function rewriteReshapeTargets(model: Model, opts: InferShapesOptions): void {
  const g = model.graph;
  const { shapes, values } = analyzeShapes(model, opts);
  for (const n of g.nodes) {
    if (n.opType !== "Reshape" || g.initializers.has(n.inputs[1])) continue;
    const target = values.get(n.inputs[1]);
    const input = shapes.get(n.inputs[0])?.shape;
    if (!target || !input || target.every((d) => typeof d === "number")) continue;
    const rewritten: Dim[] = target.map((d, i) => (typeof d === "string" && input[i] === d ? 0 : d));
    if (!rewritten.every((d) => typeof d === "number")) continue;
    const name = uniqueName(g, `${n.name}.shape`);
    g.initializers.set(name, makeTensor(name, DataType.INT64, [rewritten.length], rewritten as number[]));
    n.inputs[1] = name;
  }
}
