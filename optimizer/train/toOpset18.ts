import { InputError } from "../../common/index.ts";
import { cloneModel } from "../onnx/cloneModel.ts";
import { DataType, type Model, type Node } from "../onnx/ir.ts";
import { annotateShapes } from "../onnx/inferShapes.ts";

/** Reductions whose `axes` moved from an attribute to an input at opset 18 (ReduceSum already at 13). */
const REDUCE_18 = new Set([
  "ReduceMean",
  "ReduceMax",
  "ReduceMin",
  "ReduceProd",
  "ReduceL1",
  "ReduceL2",
  "ReduceLogSum",
  "ReduceLogSumExp",
  "ReduceSumSquare",
]);

/**
 * A copy of `model` in opset 18, the opset of the training graph: the loss,
 * gradient and optimizer nodes are written in opset-18 forms, and one ONNX
 * model has one opset. PyTorch and tf2onnx exports in opsets 11–17 are
 * rewritten where the operator changed:
 *
 * - `axes` attribute → int64 input: Squeeze/Unsqueeze/ReduceSum (13), the other reductions (18);
 * - Split's `split` attribute → input (13), or `num_outputs` for equal splits (18);
 * - Dropout's `ratio` attribute → input (12);
 * - Softmax/LogSoftmax before 13 (softmax over the input flattened at `axis`) →
 *   Flatten + softmax on the last axis + Reshape back, unless `axis` is already the last;
 * - Upsample (deprecated) → Resize with the matching coordinate mode.
 *
 * Models already at opset ≥ 18 are returned unchanged (not copied).
 * @throws InputError for models older than opset 11 or in other domains' ops.
 */
export function toOpset18(model: Model, where = "model"): Model {
  const from = model.opsets[""] ?? model.opsets["ai.onnx"] ?? 1;
  if (from >= 18) return model;
  if (from < 11) throw new InputError(where, `opset ${from} is not supported for training (11–18 are)`);
  const m = cloneModel(model);
  const g = m.graph;
  let counter = 0;
  const names = new Set<string>([...g.initializers.keys(), ...g.inputs.map((i) => i.name)]);
  for (const n of g.nodes) {
    names.add(n.name);
    for (const o of n.outputs) names.add(o);
  }
  const fresh = (base: string) => {
    let name = `${base}.opset18_${counter++}`;
    while (names.has(name)) name = `${base}.opset18_${counter++}`;
    names.add(name);
    return name;
  };
  const int64 = (base: string, values: number[]) => {
    const name = fresh(base);
    g.initializers.set(name, { name, dataType: DataType.INT64, dims: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  };
  const moveAxes = (n: Node, attr: string) => {
    const axes = n.attributes[attr] as number[] | undefined;
    delete n.attributes[attr];
    if (n.attributeTypes) delete n.attributeTypes[attr];
    if (axes !== undefined) n.inputs = [n.inputs[0], int64(`${n.name}.${attr}`, axes)];
  };

  // Softmax rewrites need ranks, which come from the original opset's shapes.
  const needsRank = from < 13 && g.nodes.some((n) => n.opType === "Softmax" || n.opType === "LogSoftmax");
  const shapes = needsRank ? annotateShapes(cloneModel(model)).graph.valueInfo : undefined;
  const rankOf = (v: string) => shapes?.get(v)?.shape?.length ?? g.inputs.find((i) => i.name === v)?.shape?.length;

  const out: Node[] = [];
  for (const n of g.nodes) {
    if (n.domain !== "" && n.domain !== "ai.onnx") throw new InputError(where, `node "${n.name}": op ${n.domain}.${n.opType} cannot be trained`);
    const op = n.opType;
    if ((op === "Squeeze" || op === "Unsqueeze" || op === "ReduceSum") && from < 13) moveAxes(n, "axes");
    else if (REDUCE_18.has(op)) moveAxes(n, "axes");
    else if (op === "Split") {
      if (from < 13 && n.attributes.split !== undefined) moveAxes(n, "split");
      else if (n.inputs.length < 2 || !n.inputs[1]) n.attributes.num_outputs = n.outputs.length;
    } else if (op === "Dropout" && from < 12) {
      const ratio = (n.attributes.ratio as number | undefined) ?? 0.5;
      delete n.attributes.ratio;
      const name = fresh(`${n.name}.ratio`);
      g.initializers.set(name, { name, dataType: DataType.FLOAT, dims: [], data: new Float32Array([ratio]) });
      n.inputs = [n.inputs[0], name];
    } else if ((op === "Softmax" || op === "LogSoftmax") && from < 13) {
      const rank = rankOf(n.inputs[0]);
      if (rank === undefined) throw new InputError(where, `node "${n.name}": ${op} needs the rank of its input`);
      const axis = (((n.attributes.axis as number | undefined) ?? 1) + rank) % rank;
      if (axis !== rank - 1) {
        const flat = fresh(`${n.name}.flat`);
        const soft = fresh(`${n.name}.soft`);
        const shape = fresh(`${n.name}.shape`);
        out.push({ name: flat, opType: "Flatten", domain: "", inputs: [n.inputs[0]], outputs: [flat], attributes: { axis } });
        out.push({ name: soft, opType: op, domain: "", inputs: [flat], outputs: [soft], attributes: { axis: -1 } });
        out.push({ name: shape, opType: "Shape", domain: "", inputs: [n.inputs[0]], outputs: [shape], attributes: {} });
        out.push({ name: n.name, opType: "Reshape", domain: "", inputs: [soft, shape], outputs: n.outputs, attributes: {} });
        continue;
      }
      n.attributes.axis = -1;
    } else if (op === "Upsample") {
      const mode = (n.attributes.mode as string | undefined) ?? "nearest";
      n.opType = "Resize";
      n.inputs = [n.inputs[0], "", n.inputs[1]];
      n.attributes =
        mode === "nearest"
          ? { mode, coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" }
          : { mode: "linear", coordinate_transformation_mode: "asymmetric" };
      delete n.attributeTypes;
    }
    out.push(n);
  }
  g.nodes = out;
  m.opsets = { ...m.opsets, "": 18 };
  delete m.opsets["ai.onnx"];
  return m;
}
