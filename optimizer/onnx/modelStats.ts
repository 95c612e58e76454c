import { InputError } from "../../common/index.ts";
import { attrInt, attrString } from "./attributes.ts";
import { analyzeShapes } from "./inferShapes.ts";
import type { Dim, Model, Node } from "./ir.ts";
import { DataType } from "./ir.ts";
import { topologicalSort } from "./topologicalSort.ts";

/** Work and size of one node. */
export interface LayerStats {
  name: string;
  opType: string;
  /** Shapes of the node's data inputs (initializer inputs excluded). */
  inputShapes: number[][];
  /** Shapes of the node's outputs. */
  outputShapes: number[][];
  /** Trainable parameters read by this node (float initializers; BN running stats excluded). */
  params: number;
  /** Multiply-accumulates of Conv, ConvTranspose, Gemm, MatMul (0 for other ops). */
  macs: number;
  /** 2 × `macs`. */
  flops: number;
  /** Elementwise, normalisation, pooling and bias work (approximate, 1 per elementary op). */
  otherFlops: number;
}

/** Totals and per-node stats of a model. */
export interface ModelStats {
  /** 2 × MACs of Conv, ConvTranspose, Gemm and MatMul: the usual FLOPs convention. */
  totalFlops: number;
  /** Unique float initializers that are parameters (see {@link LayerStats.params}). */
  totalParams: number;
  /** Everything else (elementwise, pooling, bias adds, BN, resize). */
  otherFlops: number;
  /** One entry per node in topological order (Constant nodes skipped). */
  layers: LayerStats[];
}

/** Options for {@link modelStats}. */
export interface ModelStatsOptions {
  /** Batch size substituted for a symbolic first input dim. @default 1 */
  batch?: number;
  /** Explicit input shapes (override the declared ones). */
  inputShapes?: Record<string, number[]>;
  /** Model name in error messages. */
  where?: string;
}

/** Input slots of each op that hold trainable parameters. */
const PARAM_SLOTS: Record<string, number[]> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  BatchNormalization: [1, 2],
  Add: [0, 1],
  Sub: [0, 1],
  Mul: [0, 1],
  Div: [0, 1],
  PRelu: [1],
};

const ELEMENTWISE_PARAM_OPS = new Set(["Add", "Sub", "Mul", "Div", "PRelu"]);

/** Other-work per output element, for ops whose cost is proportional to their output. */
const PER_OUTPUT: Record<string, number> = {
  Relu: 1,
  LeakyRelu: 1,
  Clip: 1,
  Sigmoid: 1,
  Tanh: 1,
  Elu: 1,
  Selu: 1,
  HardSigmoid: 1,
  HardSwish: 1,
  Softplus: 1,
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Pow: 1,
  PRelu: 1,
  Max: 1,
  Min: 1,
  Sum: 1,
  Mean: 1,
  Exp: 1,
  Log: 1,
  Sqrt: 1,
  Neg: 1,
  Abs: 1,
  Reciprocal: 1,
  Erf: 1,
  BatchNormalization: 2,
  Softmax: 3,
  LogSoftmax: 3,
};

/**
 * Per-node FLOPs and parameter counts at a given batch size (default 1).
 * `totalFlops` follows the usual convention: 2 × MACs of Conv,
 * ConvTranspose, Gemm and MatMul; bias adds, activations, normalisation,
 * pooling and resizing are counted in `otherFlops`; data movement
 * (Reshape, Concat, Transpose, ...) counts 0.
 *
 * @throws InputError when a non-batch input dim is symbolic and not given
 *   in `opts.inputShapes`; UnsupportedOpError / ModelFormatError from shape
 *   inference.
 */
export function modelStats(model: Model, opts: ModelStatsOptions = {}): ModelStats {
  const g = model.graph;
  const where = opts.where ?? (g.name || "model");
  const batch = opts.batch ?? 1;
  const inputShapes: Record<string, Dim[]> = {};
  for (const v of g.inputs) {
    const given = opts.inputShapes?.[v.name];
    if (given) {
      inputShapes[v.name] = given;
      continue;
    }
    if (!v.shape) throw new InputError(where, `input "${v.name}" has no declared shape; give its shape explicitly`);
    inputShapes[v.name] = v.shape.map((d, i) => {
      if (typeof d === "number") return d;
      if (i === 0) return batch;
      throw new InputError(where, `input "${v.name}" has symbolic dim ${String(d)} at axis ${i}; give its shape explicitly`);
    });
  }
  const { shapes } = analyzeShapes(model, { inputShapes, where });
  const shapeOf = (name: string): number[] => (shapes.get(name)?.shape ?? []).map((d) => (typeof d === "number" ? d : 0));
  const counted = new Set<string>();
  const layers: LayerStats[] = [];
  let totalFlops = 0;
  let otherFlops = 0;
  let totalParams = 0;
  for (const node of topologicalSort(g, where)) {
    if (node.opType === "Constant") continue;
    let params = 0;
    for (const slot of PARAM_SLOTS[node.opType] ?? []) {
      const name = node.inputs[slot];
      const t = name ? g.initializers.get(name) : undefined;
      // Scalars fed to elementwise ops are constants (e.g. `x / 255`), not learned parameters.
      const scalarConstant = t !== undefined && t.data.length <= 1 && ELEMENTWISE_PARAM_OPS.has(node.opType);
      if (!t || t.dataType !== DataType.FLOAT || scalarConstant) continue;
      params += t.data.length;
      if (!counted.has(name)) {
        counted.add(name);
        totalParams += t.data.length;
      }
    }
    const ins = node.inputs.filter((i) => i && !g.initializers.has(i)).map(shapeOf);
    const outs = node.outputs.filter((o) => o).map(shapeOf);
    const { macs, other } = work(
      node,
      node.inputs.map((i) => (i ? shapeOf(i) : [])),
      outs,
    );
    totalFlops += 2 * macs;
    otherFlops += other;
    layers.push({
      name: node.name,
      opType: node.opType,
      inputShapes: ins,
      outputShapes: outs,
      params,
      macs,
      flops: 2 * macs,
      otherFlops: other,
    });
  }
  return { totalFlops, totalParams, otherFlops, layers };
}

function count(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function work(node: Node, ins: number[][], outs: number[][]): { macs: number; other: number } {
  const out = outs[0] ?? [];
  const outN = count(out);
  switch (node.opType) {
    case "Conv": {
      const w = ins[1];
      const macs = outN * count(w.slice(1));
      return { macs, other: ins[2]?.length ? outN : 0 };
    }
    case "ConvTranspose": {
      const w = ins[1];
      // Each input element scatters into (C_out/group)·k² outputs.
      const macs = count(ins[0]) * count(w.slice(1));
      return { macs, other: ins[2]?.length ? outN : 0 };
    }
    case "Gemm": {
      const a = ins[0];
      const k = attrInt(node, "transA", 0) ? a[0] : a[1];
      return { macs: outN * k, other: ins[2]?.length ? outN : 0 };
    }
    case "MatMul": {
      const a = ins[0];
      return { macs: outN * a[a.length - 1], other: 0 };
    }
    case "MaxPool":
    case "AveragePool":
    case "LpPool": {
      const k = (node.attributes.kernel_shape as number[] | undefined) ?? [];
      return { macs: 0, other: outN * count(k) };
    }
    case "GlobalAveragePool":
    case "GlobalMaxPool":
    case "ReduceMean":
    case "ReduceSum":
    case "ReduceMax":
    case "ReduceMin":
    case "ReduceProd":
    case "ReduceL2":
      return { macs: 0, other: count(ins[0]) };
    case "Resize":
    case "Upsample": {
      // Linear interpolation blends 2 neighbours per resized axis (4 for H×W); nearest copies.
      const linear = attrString(node, "mode", "nearest") !== "nearest";
      return { macs: 0, other: linear ? outN * 4 : 0 };
    }
    default:
      return { macs: 0, other: (PER_OUTPUT[node.opType] ?? 0) * outN };
  }
}
