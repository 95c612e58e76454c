import { ModelFormatError, UnsupportedOpError } from "./errors.ts";
import type { DataType, Dim, Model, ValueInfo } from "./ir.ts";
import { shapeRule, smallValue, supportedOps, type ShapeInput } from "./shapeRules.ts";
import { topologicalSort } from "./topologicalSort.ts";

/** Options for {@link inferShapes}. */
export interface InferShapesOptions {
  /** Replace graph input shapes (e.g. fix a symbolic batch to 1). */
  inputShapes?: Record<string, Dim[]>;
  /** Name of the model in error messages. @default the graph name */
  where?: string;
}

/** Shapes and known small values of every value in a graph. */
export interface ShapeAnalysis {
  /** Every graph input, initializer and node output, by name. */
  shapes: Map<string, ValueInfo>;
  /** Known values of small tensors (shapes, axes, scales), row-major; symbolic dims allowed. */
  values: Map<string, Dim[]>;
}

/**
 * Shapes of all values of `model`, in topological order from the graph
 * inputs' declared shapes. Symbolic dims (e.g. `"batch"`) flow through where
 * an op keeps them, and become `null` where they are combined.
 *
 * @throws UnsupportedOpError naming the op and node for ops without a rule
 *   (non-default domains included), listing the supported ops.
 * @throws ModelFormatError naming the node when shapes do not fit the op.
 */
export function inferShapes(model: Model, opts: InferShapesOptions = {}): Map<string, ValueInfo> {
  return analyzeShapes(model, opts).shapes;
}

/** {@link inferShapes} plus the known values of small tensors. */
export function analyzeShapes(model: Model, opts: InferShapesOptions = {}): ShapeAnalysis {
  const g = model.graph;
  const where = opts.where ?? (g.name || "model");
  const opset = model.opsets[""] ?? model.opsets["ai.onnx"] ?? 1;
  const shapes = new Map<string, ValueInfo>();
  const values = new Map<string, Dim[]>();
  for (const v of g.inputs) {
    const override = opts.inputShapes?.[v.name];
    shapes.set(v.name, { name: v.name, dataType: v.dataType, shape: override ? [...override] : v.shape && [...v.shape] });
  }
  for (const [name, t] of g.initializers) {
    shapes.set(name, { name, dataType: t.dataType, shape: [...t.dims] });
    const value = smallValue(t);
    if (value) values.set(name, value);
  }
  for (const node of topologicalSort(g, where)) {
    const fail = (message: string): never => {
      throw new ModelFormatError(where, `node "${node.name}" (${node.opType}): ${message}`);
    };
    const rule = node.domain === "" || node.domain === "ai.onnx" ? shapeRule(node.opType) : undefined;
    if (!rule) {
      throw new UnsupportedOpError(where, node.domain ? `${node.domain}.${node.opType}` : node.opType, node.name, supportedOps());
    }
    const inputs: ShapeInput[] = node.inputs.map((name) => {
      const info = name ? shapes.get(name) : undefined;
      return { name, shape: info?.shape, dataType: info?.dataType, value: name ? values.get(name) : undefined };
    });
    const outs = rule.infer({ node, inputs, opset, fail });
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const o = outs[i];
      const info: ValueInfo = { name, dataType: (o?.dataType ?? inputs[0]?.dataType ?? 1) as DataType };
      if (o?.shape) info.shape = o.shape;
      shapes.set(name, info);
      if (o?.value) values.set(name, o.value);
    });
  }
  return { shapes, values };
}

/**
 * Writes inferred shapes of intermediate values into `model.graph.valueInfo`
 * (and fills unknown graph output shapes). Returns the model.
 */
export function annotateShapes(model: Model, opts: InferShapesOptions = {}): Model {
  const shapes = inferShapes(model, opts);
  const g = model.graph;
  const io = new Set([...g.inputs.map((v) => v.name), ...g.outputs.map((v) => v.name), ...g.initializers.keys()]);
  g.valueInfo.clear();
  for (const n of g.nodes) for (const o of n.outputs) if (o && !io.has(o) && shapes.has(o)) g.valueInfo.set(o, shapes.get(o)!);
  for (const out of g.outputs) {
    const s = shapes.get(out.name);
    if (s?.shape && !out.shape) out.shape = s.shape;
  }
  return model;
}
