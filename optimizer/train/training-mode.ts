import { InputError, type Random } from "../../common/index.ts";
import { attrFloat } from "../onnx/attributes.ts";
import { DataType, type Dim, type Graph, type Node, type Tensor, type ValueInfo } from "../onnx/ir.ts";
import { tensorToNumbers } from "../onnx/tensor.ts";

/** A dropout mask the training loop must feed each step (see {@link fillDropoutMask}). */
export interface DropoutMaskInput {
  /** Graph input name of the mask. */
  name: string;
  /** Shape of the mask: the shape of the dropped tensor (the batch dimension may be symbolic). */
  shape: Dim[];
  /** Probability of dropping an element. */
  ratio: number;
}

/** The result of {@link toTrainingGraph}. */
export interface TrainingGraph {
  /** The rewritten graph (a new Graph object; tensors are shared with the input graph, not copied). */
  graph: Graph;
  /**
   * For each BatchNormalization running-mean/var initializer, the value holding its updated value after one
   * training step: new = momentum·old + (1 − momentum)·batch statistic (variance unbiased, as PyTorch keeps it).
   * Not graph outputs yet: add them as outputs and write them back after each step.
   */
  runningStatUpdates: Map<string, string>;
  /** New graph inputs: one dropout mask per training-mode Dropout. */
  extraInputs: DropoutMaskInput[];
}

/**
 * Rewrites an inference graph into its training form, differentiable by `buildBackward`:
 *
 * - **BatchNormalization** uses batch statistics built from primitives: mean of x over N and the
 *   spatial axes, var = mean of (x − mean)², y = (x − mean)·(scale/√(var + ε)) + B (ops valid from opset 13 on). (onnxruntime's
 *   training-mode BN gives no saved statistics, so its gradient could not be built.) Running-stat updates
 *   are reported in `runningStatUpdates`.
 * - **Dropout** becomes y = x·mask with the mask a new graph input (values 0 or 1/(1 − ratio)) that the
 *   host draws from the run's seeded {@link Random} with {@link fillDropoutMask} — deterministic, unlike an
 *   in-graph random op.
 *
 * Other nodes are kept as they are. Shapes of the new intermediate values are recorded in `valueInfo` when
 * the BN input's shape is known, so gradient rules can use them.
 *
 * @throws InputError naming the node when a BN/Dropout form is not supported (e.g. BN's optional training
 *   outputs are used, or the dropout ratio is not constant).
 */
export function toTrainingGraph(graph: Graph): TrainingGraph {
  const out: Graph = {
    name: graph.name,
    nodes: [],
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
    initializers: new Map(graph.initializers),
    valueInfo: new Map(graph.valueInfo),
  };
  const runningStatUpdates = new Map<string, string>();
  const extraInputs: DropoutMaskInput[] = [];
  const names = new Set<string>();
  for (const n of graph.nodes) {
    names.add(n.name);
    for (const v of [...n.inputs, ...n.outputs]) if (v) names.add(v);
  }
  for (const v of [...graph.inputs, ...graph.outputs]) names.add(v.name);
  for (const k of graph.initializers.keys()) names.add(k);
  const unique = (base: string): string => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const shapeOf = (v: string): Dim[] | undefined =>
    graph.valueInfo.get(v)?.shape ??
    graph.inputs.find((i) => i.name === v)?.shape ??
    graph.outputs.find((i) => i.name === v)?.shape ??
    graph.initializers.get(v)?.dims;
  const constantOf = (v: string): Tensor | undefined => {
    const init = graph.initializers.get(v);
    if (init) return init;
    const producer = graph.nodes.find((n) => n.opType === "Constant" && n.outputs[0] === v);
    const value = producer?.attributes.value;
    return value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  };

  for (const node of graph.nodes) {
    if (node.opType === "BatchNormalization" && node.domain === "") {
      rewriteBatchNorm(node, out, runningStatUpdates, unique, shapeOf);
    } else if (node.opType === "Dropout" && node.domain === "") {
      rewriteDropout(node, out, extraInputs, unique, shapeOf, constantOf);
    } else {
      out.nodes.push(node);
    }
  }
  return { graph: out, runningStatUpdates, extraInputs };
}

/**
 * Fills `target` with a dropout mask: each element is 0 with probability `ratio`, else 1/(1 − ratio) (so the
 * expected activation is unchanged). Returns `target`.
 */
export function fillDropoutMask(target: Float32Array, ratio: number, random: Random): Float32Array {
  const keep = 1 / (1 - ratio);
  for (let i = 0; i < target.length; i++) target[i] = random.next() < ratio ? 0 : keep;
  return target;
}

type Unique = (base: string) => string;

function rewriteBatchNorm(
  node: Node,
  out: Graph,
  runningStatUpdates: Map<string, string>,
  unique: Unique,
  shapeOf: (v: string) => Dim[] | undefined,
): void {
  const where = `toTrainingGraph: BatchNormalization node "${node.name}"`;
  if (node.outputs.slice(1).some((o) => o)) {
    throw new InputError(where, "its optional training outputs (running mean/var) are not supported; use the inference form");
  }
  const [x, scale, bias, runningMean, runningVar] = node.inputs;
  const y = node.outputs[0];
  const eps = attrFloat(node, "epsilon", 1e-5);
  const momentum = attrFloat(node, "momentum", 0.9);
  const xShape = shapeOf(x);
  const scaleShape = shapeOf(scale);
  if (!xShape) throw new InputError(where, `the shape of its input "${x}" is unknown (run shape inference first)`);
  const rank = xShape.length;
  const c = scaleShape?.[0] ?? xShape[1];
  if (typeof c !== "number") throw new InputError(where, "the channel count must be static");
  const stat: Dim[] = [1, c, ...new Array<number>(rank - 2).fill(1)];
  const p = `${node.name}.train`;
  const emit = (opType: string, inputs: string[], shape: Dim[] | undefined, attributes: Node["attributes"] = {}) => {
    const name = unique(`${p}.${opType}`);
    out.nodes.push({ name, opType, domain: "", inputs, outputs: [name], attributes });
    if (shape) out.valueInfo.set(name, { name, dataType: DataType.FLOAT, shape });
    return name;
  };
  const constant = (values: number[], dims: number[], dataType: DataType) => {
    const data = dataType === DataType.INT64 ? BigInt64Array.from(values, (v) => BigInt(v)) : Float32Array.from(values);
    const name = unique(`${p}.const`);
    const value: Tensor = { name, dataType, dims, data };
    out.nodes.push({ name, opType: "Constant", domain: "", inputs: [], outputs: [name], attributes: { value } });
    out.valueInfo.set(name, { name, dataType, shape: dims });
    return name;
  };
  const axes = constant([0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], [rank - 1], DataType.INT64);
  const statShape = constant(
    stat.map((d) => (typeof d === "number" ? d : 1)),
    [rank],
    DataType.INT64,
  );
  // Elements per channel n = |x|/C, at run time (the batch may be symbolic); also used for the unbiased
  // running variance below. Statistics use ReduceSum (axes as an input since opset 13) rather than
  // ReduceMean/ReduceSumSquare, whose axes moved from attribute to input only at opset 18, so the rewritten
  // graph is valid for any opset from 13 on.
  const perChannel = emit(
    "Div",
    [emit("Cast", [emit("Size", [x], undefined)], [], { to: DataType.FLOAT }), constant([c], [], DataType.FLOAT)],
    [],
  );
  const inverseCount = emit("Reciprocal", [perChannel], []);
  const mean = emit("Mul", [emit("ReduceSum", [x, axes], stat, { keepdims: 1 }), inverseCount], stat);
  const centred = emit("Sub", [x, mean], xShape);
  const squares = emit("Mul", [centred, centred], xShape);
  const variance = emit("Mul", [emit("ReduceSum", [squares, axes], stat, { keepdims: 1 }), inverseCount], stat);
  const invStd = emit("Reciprocal", [emit("Sqrt", [emit("Add", [variance, constant([eps], [], DataType.FLOAT)], stat)], stat)], stat);
  const gain = emit("Mul", [invStd, emit("Reshape", [scale, statShape], stat)], stat);
  const scaled = emit("Mul", [centred, gain], xShape);
  out.nodes.push({
    name: unique(`${p}.output`),
    opType: "Add",
    domain: "",
    inputs: [scaled, emit("Reshape", [bias, statShape], stat)],
    outputs: [y],
    attributes: {},
  });
  if (!out.valueInfo.has(y)) out.valueInfo.set(y, { name: y, dataType: DataType.FLOAT, shape: xShape });

  // Running statistics (not on the loss path, so never differentiated).
  const flat = constant([c], [1], DataType.INT64);
  const keepOld = constant([momentum], [], DataType.FLOAT);
  const takeNew = constant([1 - momentum], [], DataType.FLOAT);
  const blend = (old: string, batch: string) => emit("Add", [emit("Mul", [old, keepOld], [c]), emit("Mul", [batch, takeNew], [c])], [c]);
  runningStatUpdates.set(runningMean, blend(runningMean, emit("Reshape", [mean, flat], [c])));
  // Unbiased variance: ×n/(n−1).
  const correction = emit("Div", [perChannel, emit("Sub", [perChannel, constant([1], [], DataType.FLOAT)], [])], []);
  runningStatUpdates.set(runningVar, blend(runningVar, emit("Mul", [emit("Reshape", [variance, flat], [c]), correction], [c])));
}

function rewriteDropout(
  node: Node,
  out: Graph,
  extraInputs: DropoutMaskInput[],
  unique: Unique,
  shapeOf: (v: string) => Dim[] | undefined,
  constantOf: (v: string) => Tensor | undefined,
): void {
  const where = `toTrainingGraph: Dropout node "${node.name}"`;
  if (node.outputs.slice(1).some((o) => o)) throw new InputError(where, "its mask output is not supported");
  const [x, ratioName] = node.inputs;
  let ratio = attrFloat(node, "ratio", 0.5);
  if (ratioName) {
    const t = constantOf(ratioName);
    if (!t) throw new InputError(where, "the ratio input must be a constant");
    ratio = tensorToNumbers(t)[0];
  }
  if (!(ratio >= 0 && ratio < 1)) throw new InputError(where, `ratio ${ratio} must be in [0, 1)`);
  const y = node.outputs[0];
  if (ratio === 0) {
    out.nodes.push({ name: node.name, opType: "Identity", domain: "", inputs: [x], outputs: [y], attributes: {} });
    return;
  }
  const shape = shapeOf(x);
  if (!shape) throw new InputError(where, `the shape of its input "${x}" is unknown (run shape inference first)`);
  const mask = unique(`${node.name}.mask`);
  const info: ValueInfo = { name: mask, dataType: DataType.FLOAT, shape };
  out.inputs.push(info);
  extraInputs.push({ name: mask, shape, ratio });
  out.nodes.push({ name: node.name, opType: "Mul", domain: "", inputs: [x, mask], outputs: [y], attributes: {} });
  if (!out.valueInfo.has(y)) out.valueInfo.set(y, { name: y, dataType: DataType.FLOAT, shape });
}
