import { InputError } from "../../common/index.ts";
import { UnsupportedOpError } from "../onnx/errors.ts";
import { DataType, type AttributeKind, type Dim, type Graph, type Node, type Tensor } from "../onnx/ir.ts";
import { topologicalSort } from "../onnx/topologicalSort.ts";
import type { GradContext, GradientRule } from "./gradients/GradientRule.ts";
import { gradientRegistry } from "./gradients/registerAllGradients.ts";

/** Options of {@link buildBackward}. */
export interface BackwardOptions {
  /** Name of the scalar loss value (any value of `graph`). */
  loss: string;
  /** Initializers or graph inputs to differentiate with respect to. */
  wrt: string[];
  /** Gradient rules by op type; defaults to every shipped rule ({@link gradientRegistry}). */
  rules?: ReadonlyMap<string, GradientRule>;
}

/** The result of {@link buildBackward}. */
export interface BackwardResult {
  /** New nodes (in execution order) to append to the forward graph's nodes. */
  nodes: Node[];
  /** For each `wrt` name, the name of the value holding d(loss)/d(wrt), same shape as `wrt`. */
  gradients: Map<string, string>;
}

/**
 * Ops whose outputs carry no gradient (shapes, comparisons, indices): differentiation stops there, so a
 * PyTorch-style `Shape → Gather → Concat → Reshape` chain never asks for a gradient of a shape.
 */
const NON_DIFFERENTIABLE = new Set([
  "Shape",
  "Size",
  "ArgMax",
  "ArgMin",
  "Equal",
  "Greater",
  "GreaterOrEqual",
  "Less",
  "LessOrEqual",
  "Not",
  "And",
  "Or",
  "Xor",
  "NonZero",
  "ConstantOfShape",
  "Range",
  "Constant",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "RandomNormal",
  "RandomUniform",
  "RandomNormalLike",
  "RandomUniformLike",
]);

const WHERE = "buildBackward";

/**
 * Builds the reverse-mode gradient of `loss` with respect to `wrt` as ONNX nodes.
 *
 * Walks the nodes on a path from a `wrt` value to the loss in reverse topological order and asks each op's
 * registered {@link GradientRule} for its input gradients. A value consumed by several nodes gets the `Sum`
 * of the contributions. The graph is not modified: append `nodes` to it and expose the gradient names as
 * outputs (or feed them to optimizer nodes). A `wrt` value the loss does not depend on gets a zero gradient.
 *
 * Rules that need static shapes (Conv, pooling, broadcasting reductions) read them from the graph's inputs,
 * initializers and `valueInfo` (run shape inference first); a symbolic batch dimension is fine.
 *
 * @throws UnsupportedOpError naming the op and node when an op on the path has no rule.
 * @throws InputError when `loss` or a `wrt` name is not in the graph.
 */
export function buildBackward(graph: Graph, options: BackwardOptions): BackwardResult {
  const rules = options.rules ?? gradientRegistry();
  const { loss, wrt } = options;
  const order = topologicalSort(graph);
  const known = new Set<string>();
  for (const v of graph.inputs) known.add(v.name);
  for (const name of graph.initializers.keys()) known.add(name);
  for (const n of order) for (const o of n.outputs) if (o) known.add(o);
  if (!known.has(loss)) throw new InputError(`${WHERE}.loss`, `value "${loss}" is not in graph "${graph.name}"`);
  for (const w of wrt) {
    if (!graph.initializers.has(w) && !graph.inputs.some((v) => v.name === w)) {
      throw new InputError(`${WHERE}.wrt`, `"${w}" is neither an initializer nor an input of graph "${graph.name}"`);
    }
  }

  // Values that depend on some wrt value (forward) and values the loss depends on (backward).
  const dependsOnWrt = new Set<string>(wrt);
  for (const n of order) {
    if (NON_DIFFERENTIABLE.has(n.opType)) continue;
    if (n.inputs.some((i) => i && dependsOnWrt.has(i))) for (const o of n.outputs) if (o) dependsOnWrt.add(o);
  }
  const lossDependsOn = new Set<string>([loss]);
  for (let k = order.length - 1; k >= 0; k--) {
    const n = order[k];
    if (n.outputs.some((o) => o && lossDependsOn.has(o))) for (const i of n.inputs) if (i) lossDependsOn.add(i);
  }
  const active = order.filter(
    (n) =>
      !NON_DIFFERENTIABLE.has(n.opType) && n.inputs.some((i) => i && dependsOnWrt.has(i)) && n.outputs.some((o) => o && lossDependsOn.has(o)),
  );
  for (const n of active) {
    if (!rules.has(n.opType) || (n.domain !== "" && n.domain !== "ai.onnx")) {
      throw new UnsupportedOpError(WHERE, n.opType, n.name, [...rules.keys()], "no gradient rule");
    }
  }

  const builder = new BackwardBuilder(graph, known);
  const contributions = new Map<string, string[]>();
  const resolved = new Map<string, string | null>();
  // A value's gradient is read by one rule (its producer's) or returned for a wrt value, so caching by value
  // is enough; `allowBroadcast` lets a consumer take a not-yet-expanded reduction gradient as is.
  const resolve = (value: string, allowBroadcast: boolean): string | null => {
    const done = resolved.get(value);
    if (done !== undefined) return done;
    const parts = contributions.get(value);
    let g: string | null = null;
    if (parts) {
      g = parts.length === 1 ? parts[0] : builder.sum(`${value}.grad`, parts);
      // Only broadcast contributions: Sum broadcast them together; expand unless the consumer broadcasts.
      if (!allowBroadcast && parts.every((p) => builder.broadcastGrads.has(p))) g = builder.expand(g, value);
    }
    resolved.set(value, g);
    return g;
  };

  contributions.set(loss, [builder.seed(loss)]);
  for (let k = active.length - 1; k >= 0; k--) {
    const node = active[k];
    if (!node.outputs.some((o) => o && lossDependsOn.has(o) && contributions.has(o))) continue;
    const rule = rules.get(node.opType)!;
    const ctx = builder.context(
      node,
      (i) => {
        const o = node.outputs[i];
        return o && lossDependsOn.has(o) ? resolve(o, rule.acceptsBroadcastGrad?.(ctx) ?? false) : null;
      },
      (i) => {
        const name = node.inputs[i];
        return Boolean(name) && dependsOnWrt.has(name);
      },
    );
    const inputGrads = rule.grad(ctx);
    inputGrads.forEach((g, i) => {
      if (g === null || !ctx.needsGrad(i)) return;
      const list = contributions.get(node.inputs[i]);
      if (list) list.push(g);
      else contributions.set(node.inputs[i], [g]);
    });
  }

  const gradients = new Map<string, string>();
  for (const w of wrt) gradients.set(w, resolve(w, false) ?? builder.zerosLike(w));
  return { nodes: builder.nodes, gradients };
}

/** Emits uniquely named gradient nodes and answers the rules' questions about the forward graph. */
class BackwardBuilder {
  readonly nodes: Node[] = [];
  private readonly names: Set<string>;
  readonly shapes = new Map<string, Dim[]>();
  readonly constants = new Map<string, Tensor>();

  constructor(
    private readonly graph: Graph,
    valueNames: Set<string>,
  ) {
    this.names = new Set(valueNames);
    for (const n of graph.nodes) this.names.add(n.name);
    for (const v of graph.outputs) this.names.add(v.name);
    for (const v of graph.valueInfo.values()) if (v.shape) this.shapes.set(v.name, v.shape);
    for (const v of graph.outputs) if (v.shape) this.shapes.set(v.name, v.shape);
    for (const v of graph.inputs) if (v.shape) this.shapes.set(v.name, v.shape);
    for (const t of graph.initializers.values()) {
      this.shapes.set(t.name, t.dims);
      this.constants.set(t.name, t);
    }
    for (const n of graph.nodes) {
      if (n.opType !== "Constant") continue;
      const t = constantNodeValue(n);
      if (t) {
        this.constants.set(n.outputs[0], t);
        this.shapes.set(n.outputs[0], t.dims);
      }
    }
  }

  /** Gradients that still have to be broadcast to the shape of the value they belong to (see `expandTo`). */
  readonly broadcastGrads = new Set<string>();

  /** Σ of `parts` (numpy broadcasting) as a new value named after `base`. */
  sum(base: string, parts: string[]): string {
    const name = this.uniqueName(base);
    this.push({ name, opType: "Sum", domain: "", inputs: parts, outputs: [name], attributes: {} });
    return name;
  }

  /** `grad` broadcast to the runtime shape of `like`. */
  expand(grad: string, like: string): string {
    const shapeName = this.uniqueName(`${like}.grad_shape`);
    this.push({ name: shapeName, opType: "Shape", domain: "", inputs: [like], outputs: [shapeName], attributes: {} });
    const name = this.uniqueName(`${like}.grad_expanded`);
    this.push({ name, opType: "Expand", domain: "", inputs: [grad, shapeName], outputs: [name], attributes: {} });
    return name;
  }

  uniqueName(base: string): string {
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  push(node: Node): void {
    this.names.add(node.name);
    this.nodes.push(node);
  }

  /** d(loss)/d(loss) = ones in the loss's shape. */
  seed(loss: string): string {
    const shape = this.shapes.get(loss);
    const name = this.uniqueName(`${loss}.grad_seed`);
    if (shape && shape.every((d) => typeof d === "number")) {
      const dims = shape as number[];
      const size = dims.reduce((a, b) => a * b, 1);
      this.push(constantNode(name, { name, dataType: DataType.FLOAT, dims, data: new Float32Array(size).fill(1) }));
    } else {
      const shapeName = this.uniqueName(`${loss}.grad_seed_shape`);
      this.push({ name: shapeName, opType: "Shape", domain: "", inputs: [loss], outputs: [shapeName], attributes: {} });
      this.push(constantOfShape(name, shapeName, 1));
    }
    return name;
  }

  /** Zeros shaped like `value` (a wrt value the loss does not depend on). */
  zerosLike(value: string): string {
    const shapeName = this.uniqueName(`${value}.grad_shape`);
    this.push({ name: shapeName, opType: "Shape", domain: "", inputs: [value], outputs: [shapeName], attributes: {} });
    const name = this.uniqueName(`${value}.grad`);
    this.push(constantOfShape(name, shapeName, 0));
    return name;
  }

  context(node: Node, outputGrad: (i: number) => string | null, needsGrad: (i: number) => boolean): GradContext {
    return makeContext(this, node, outputGrad, needsGrad);
  }
}

/** The {@link GradContext} a rule gets for `node`; everything it emits goes to `builder`. */
function makeContext(
  builder: BackwardBuilder,
  node: Node,
  outputGrad: (i: number) => string | null,
  needsGrad: (i: number) => boolean,
): GradContext {
  const prefix = `${node.name}.grad`;
  const fail = (message: string): never => {
    throw new InputError(WHERE, `gradient of ${node.opType} node "${node.name}": ${message}`);
  };
  const shape = (name: string): Dim[] => {
    const s = builder.shapes.get(name);
    if (!s) fail(`the shape of "${name}" is unknown (run shape inference before building the backward graph)`);
    return s!;
  };
  const ctx: GradContext = {
    node,
    outputGrad,
    needsGrad,
    shape,
    staticShape(name) {
      const s = shape(name);
      if (!s.every((d) => typeof d === "number")) {
        fail(`needs a static shape for "${name}" but it is [${s.map((d) => d ?? "?").join(", ")}]`);
      }
      return s as number[];
    },
    tryShape: (name) => builder.shapes.get(name),
    constantValue: (name) => builder.constants.get(name),
    emit(opType, inputs, attributes = {}, outputCount = 1) {
      const outputs: string[] = [];
      for (let k = 0; k < outputCount; k++) outputs.push(builder.uniqueName(`${prefix}.${opType}`));
      const attributeTypes: Record<string, AttributeKind> = {};
      for (const [key, v] of Object.entries(attributes)) {
        // Our emitted float attributes are always written as floats, whatever their value.
        if (typeof v === "number" && FLOAT_ATTRIBUTE_NAMES.has(key)) attributeTypes[key] = "float";
      }
      builder.push({ name: outputs[0], opType, domain: "", inputs, outputs, attributes, attributeTypes });
      return outputs;
    },
    op: (opType, inputs, attributes) => ctx.emit(opType, inputs, attributes, 1)[0],
    constFloat(values, dims) {
      const name = builder.uniqueName(`${prefix}.const`);
      builder.push(constantNode(name, { name, dataType: DataType.FLOAT, dims, data: Float32Array.from(values) }));
      return name;
    },
    constInt64(values, dims) {
      const name = builder.uniqueName(`${prefix}.const`);
      const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
      builder.push(constantNode(name, { name, dataType: DataType.INT64, dims: dims ?? [values.length], data }));
      return name;
    },
    sumToShape(grad, broadcast, target) {
      const from = typeof broadcast === "string" ? shape(broadcast) : broadcast;
      const to = shape(target);
      const lead = from.length - to.length;
      if (lead < 0) fail(`"${target}" has a higher rank than the gradient it receives`);
      const axes: number[] = [];
      for (let a = 0; a < from.length; a++) {
        if (a < lead) axes.push(a);
        else if (to[a - lead] === 1 && from[a] !== 1) axes.push(a);
        else if (to[a - lead] === null) fail(`cannot tell whether "${target}" was broadcast along axis ${a - lead}`);
      }
      if (axes.length === 0) return grad;
      const summed = ctx.op("ReduceSum", [grad, ctx.constInt64(axes)], { keepdims: 1 });
      if (lead === 0) return summed;
      const dims = to.every((d) => typeof d === "number") ? ctx.constInt64(to as number[]) : ctx.op("Shape", [target]);
      return ctx.op("Reshape", [summed, dims]);
    },
    expandTo(grad) {
      builder.broadcastGrads.add(grad);
      return grad;
    },
    fail,
  };
  return ctx;
}

/** Float attributes of ops the rules emit (kept float even when the value is integral, e.g. `alpha: 1`). */
const FLOAT_ATTRIBUTE_NAMES = new Set(["alpha", "beta", "epsilon", "momentum", "value_float"]);

function constantNode(name: string, value: Tensor): Node {
  return { name, opType: "Constant", domain: "", inputs: [], outputs: [name], attributes: { value } };
}

function constantOfShape(name: string, shapeName: string, fill: number): Node {
  const value: Tensor = { name: `${name}.value`, dataType: DataType.FLOAT, dims: [1], data: new Float32Array([fill]) };
  return { name, opType: "ConstantOfShape", domain: "", inputs: [shapeName], outputs: [name], attributes: { value } };
}

/** The value of a `Constant` node as a tensor, for the attribute forms PyTorch and tf2onnx write. */
function constantNodeValue(n: Node): Tensor | undefined {
  const a = n.attributes;
  const name = n.outputs[0];
  const v = a.value;
  if (v !== undefined && typeof v === "object" && !Array.isArray(v)) return v;
  if (typeof a.value_float === "number") return { name, dataType: DataType.FLOAT, dims: [], data: new Float32Array([a.value_float]) };
  if (typeof a.value_int === "number") return { name, dataType: DataType.INT64, dims: [], data: new BigInt64Array([BigInt(a.value_int)]) };
  if (Array.isArray(a.value_floats)) {
    const f = a.value_floats as number[];
    return { name, dataType: DataType.FLOAT, dims: [f.length], data: Float32Array.from(f) };
  }
  if (Array.isArray(a.value_ints)) {
    const f = a.value_ints as number[];
    return { name, dataType: DataType.INT64, dims: [f.length], data: BigInt64Array.from(f, (x) => BigInt(x)) };
  }
  return undefined;
}
