import { Random } from "../../common/index.ts";
import type { AttributeValue, Dim, Graph, Model, Node, Tensor, ValueInfo } from "./ir.ts";
import { DataType } from "./ir.ts";
import { int64Tensor } from "./tensor.ts";

/** Options for {@link GraphBuilder}. */
export interface GraphBuilderOptions {
  /** Seed of the weight initialisation. @default 0 */
  seed?: number;
  /** Graph name. @default "graph" */
  name?: string;
  /** ai.onnx opset written to the model. @default 18 */
  opset?: number;
}

/** A size given once for both spatial axes, or as `[h, w]`. */
export type Pair = number | [number, number];

/** Options for {@link GraphBuilder.conv}. */
export interface ConvOptions {
  outChannels: number;
  kernel: Pair;
  /** @default 1 */
  stride?: Pair;
  /** Symmetric padding per axis, or `[top, left, bottom, right]`. @default 0 */
  pad?: Pair | [number, number, number, number];
  /** @default 1 */
  dilation?: Pair;
  /** @default 1 */
  groups?: number;
  /** @default true */
  bias?: boolean;
  /** Node name; weights are named `<name>.weight` / `<name>.bias`. */
  name?: string;
}

/** Options for {@link GraphBuilder.convTranspose}. */
export interface ConvTransposeOptions extends Omit<ConvOptions, "pad"> {
  /** Symmetric padding per axis. @default 0 */
  pad?: Pair;
  /** @default 0 */
  outputPadding?: Pair;
}

/** Options for {@link GraphBuilder.maxPool} and {@link GraphBuilder.avgPool}. */
export interface PoolOptions {
  kernel: Pair;
  /** @default kernel */
  stride?: Pair;
  /** Symmetric padding per axis. @default 0 */
  pad?: Pair;
  /** @default false */
  ceilMode?: boolean;
  /** AveragePool only: count padded cells in the divisor. @default false */
  countIncludePad?: boolean;
}

/**
 * Writes small float32 NCHW models in code, for tests and reference nets.
 * Each method adds one node (plus its weights as initializers) and returns
 * the name of its output value. The builder tracks output shapes for the ops
 * it writes so that channel and feature counts need not be repeated.
 *
 * Weights are drawn from a seeded {@link Random}: He-uniform
 * (±√(6/fan_in)) for Conv/ConvTranspose/Gemm weights, ±1/√fan_in for biases,
 * and non-trivial BatchNormalization statistics (γ∈[0.5,1.5), β, mean ~
 * N(0, 0.1²), var∈[0.5,1.5)) so folding and training tests see real values.
 *
 * @example
 * const b = new GraphBuilder({ seed: 1 });
 * let x = b.input("input", [1, 3, 32, 32]);
 * x = b.relu(b.batchNorm(b.conv(x, { outChannels: 8, kernel: 3, pad: 1 })));
 * b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 2 }));
 * const model = b.build();
 */
export class GraphBuilder {
  private readonly rng: Random;
  private readonly graphName: string;
  private readonly opset: number;
  private readonly nodes: Node[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers = new Map<string, Tensor>();
  private readonly shapes = new Map<string, Dim[]>();
  private counter = 0;

  constructor(opts: GraphBuilderOptions = {}) {
    this.rng = new Random(opts.seed ?? 0);
    this.graphName = opts.name ?? "graph";
    this.opset = opts.opset ?? 18;
  }

  /** Declares a float32 graph input. Dim 0 may be symbolic (e.g. `"batch"`). */
  input(name: string, shape: Dim[]): string {
    this.inputs.push({ name, dataType: DataType.FLOAT, shape: [...shape] });
    this.shapes.set(name, [...shape]);
    return name;
  }

  /** Marks `value` as a graph output (float32, shape as tracked). */
  output(value: string): void {
    this.outputs.push({ name: value, dataType: DataType.FLOAT, shape: this.shape(value) });
  }

  /** The tracked shape of `value`. @throws Error for unknown values. */
  shape(value: string): Dim[] {
    const s = this.shapes.get(value);
    if (!s) throw new Error(`GraphBuilder: unknown value "${value}"`);
    return [...s];
  }

  /** Adds an initializer of any type and returns its name. */
  initializer(tensor: Tensor): string {
    if (this.initializers.has(tensor.name)) throw new Error(`GraphBuilder: initializer "${tensor.name}" exists`);
    this.initializers.set(tensor.name, tensor);
    this.shapes.set(tensor.name, [...tensor.dims]);
    return tensor.name;
  }

  /** Adds a float32 initializer `name` with the given dims and values. */
  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer({ name, dataType: DataType.FLOAT, dims, data: Float32Array.from(values) });
  }

  /** Adds any node (outputs' shapes must be given to use them in later builder calls). */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    opts: { name?: string; outputs?: number; outputShapes?: Dim[][] } = {},
  ): string[] {
    const name = opts.name ?? `${opType}_${this.counter++}`;
    const count = opts.outputs ?? 1;
    const outputs = Array.from({ length: count }, (_, i) => (count === 1 ? `${name}_out` : `${name}_out${i}`));
    this.nodes.push({ name, opType, domain: "", inputs, outputs, attributes });
    opts.outputShapes?.forEach((s, i) => this.shapes.set(outputs[i], s));
    return outputs;
  }

  /** 2-D convolution (weights `[outC, inC/groups, kh, kw]`). */
  conv(x: string, o: ConvOptions): string {
    const [n, c, h, w] = this.shape4(x);
    const groups = o.groups ?? 1;
    const [kh, kw] = pair(o.kernel);
    const [sh, sw] = pair(o.stride ?? 1);
    const [dh, dw] = pair(o.dilation ?? 1);
    const pads = pads4(o.pad ?? 0);
    if (c % groups !== 0 || o.outChannels % groups !== 0) {
      throw new Error(`GraphBuilder.conv: channels ${c}→${o.outChannels} not divisible by groups ${groups}`);
    }
    const name = o.name ?? `Conv_${this.counter++}`;
    const fanIn = (c / groups) * kh * kw;
    const inputs = [x, this.heUniform(`${name}.weight`, [o.outChannels, c / groups, kh, kw], fanIn)];
    if (o.bias ?? true) inputs.push(this.biasUniform(`${name}.bias`, o.outChannels, fanIn));
    const oh = convOut(h, kh, sh, dh, pads[0], pads[2]);
    const ow = convOut(w, kw, sw, dw, pads[1], pads[3]);
    return this.node(
      "Conv",
      inputs,
      { kernel_shape: [kh, kw], strides: [sh, sw], pads, dilations: [dh, dw], group: groups },
      { name, outputShapes: [[n, o.outChannels, oh, ow]] },
    )[0];
  }

  /** 2-D transposed convolution (weights `[inC, outC/groups, kh, kw]`). */
  convTranspose(x: string, o: ConvTransposeOptions): string {
    const [n, c, h, w] = this.shape4(x);
    const groups = o.groups ?? 1;
    const [kh, kw] = pair(o.kernel);
    const [sh, sw] = pair(o.stride ?? 1);
    const [dh, dw] = pair(o.dilation ?? 1);
    const [ph, pw] = pair(o.pad ?? 0);
    const [oph, opw] = pair(o.outputPadding ?? 0);
    const name = o.name ?? `ConvTranspose_${this.counter++}`;
    const fanIn = (o.outChannels / groups) * kh * kw;
    const inputs = [x, this.heUniform(`${name}.weight`, [c, o.outChannels / groups, kh, kw], fanIn)];
    if (o.bias ?? true) inputs.push(this.biasUniform(`${name}.bias`, o.outChannels, fanIn));
    const oh = sh * (h - 1) + oph + ((kh - 1) * dh + 1) - 2 * ph;
    const ow = sw * (w - 1) + opw + ((kw - 1) * dw + 1) - 2 * pw;
    const attrs: Record<string, AttributeValue> = {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      pads: [ph, pw, ph, pw],
      dilations: [dh, dw],
      group: groups,
    };
    if (oph || opw) attrs.output_padding = [oph, opw];
    return this.node("ConvTranspose", inputs, attrs, { name, outputShapes: [[n, o.outChannels, oh, ow]] })[0];
  }

  /** Inference-mode BatchNormalization over channel axis 1. */
  batchNorm(x: string, o: { epsilon?: number; momentum?: number; name?: string } = {}): string {
    const s = this.shape(x);
    const c = s[1] as number;
    const name = o.name ?? `BatchNormalization_${this.counter++}`;
    const r = this.rng;
    const gamma = this.constant(`${name}.weight`, [c], Array.from({ length: c }, () => r.uniform(0.5, 1.5)));
    const beta = this.constant(`${name}.bias`, [c], Array.from({ length: c }, () => r.normal(0, 0.1)));
    const mean = this.constant(`${name}.running_mean`, [c], Array.from({ length: c }, () => r.normal(0, 0.1)));
    const variance = this.constant(`${name}.running_var`, [c], Array.from({ length: c }, () => r.uniform(0.5, 1.5)));
    return this.node(
      "BatchNormalization",
      [x, gamma, beta, mean, variance],
      { epsilon: o.epsilon ?? 1e-5, momentum: o.momentum ?? 0.9 },
      { name, outputShapes: [s] },
    )[0];
  }

  /** Fully connected layer `x·Wᵀ + b` (PyTorch Linear; `W` is `[out, in]`, transB = 1). */
  gemm(x: string, o: { outFeatures: number; bias?: boolean; name?: string }): string {
    const s = this.shape(x);
    if (s.length !== 2) throw new Error(`GraphBuilder.gemm: input "${x}" must be 2-D, got [${s.join(", ")}]`);
    const inF = s[1] as number;
    const name = o.name ?? `Gemm_${this.counter++}`;
    const inputs = [x, this.heUniform(`${name}.weight`, [o.outFeatures, inF], inF)];
    if (o.bias ?? true) inputs.push(this.biasUniform(`${name}.bias`, o.outFeatures, inF));
    return this.node("Gemm", inputs, { alpha: 1, beta: 1, transB: 1 }, { name, outputShapes: [[s[0], o.outFeatures]] })[0];
  }

  /** Matrix product of two values (2-D or batched with equal batch dims). */
  matmul(a: string, b: string): string {
    const sa = this.shape(a);
    const sb = this.shape(b);
    const out = [...sa.slice(0, -1), sb[sb.length - 1]];
    return this.node("MatMul", [a, b], {}, { outputShapes: [out] })[0];
  }

  relu(x: string): string {
    return this.unary("Relu", x);
  }

  sigmoid(x: string): string {
    return this.unary("Sigmoid", x);
  }

  tanh(x: string): string {
    return this.unary("Tanh", x);
  }

  identity(x: string): string {
    return this.unary("Identity", x);
  }

  /** LeakyRelu with slope `alpha` for negative inputs. @default alpha 0.01 */
  leakyRelu(x: string, alpha = 0.01): string {
    return this.node("LeakyRelu", [x], { alpha }, { outputShapes: [this.shape(x)] })[0];
  }

  /** Clip to [min, max] (bounds as scalar initializers, opset ≥ 11 form). */
  clip(x: string, min: number, max: number): string {
    const id = this.counter++;
    const lo = this.constant(`clip${id}.min`, [], [min]);
    const hi = this.constant(`clip${id}.max`, [], [max]);
    return this.node("Clip", [x, lo, hi], {}, { name: `Clip_${id}`, outputShapes: [this.shape(x)] })[0];
  }

  /** Softmax along `axis`. @default axis -1 */
  softmax(x: string, axis = -1): string {
    return this.node("Softmax", [x], { axis }, { outputShapes: [this.shape(x)] })[0];
  }

  add(a: string, b: string): string {
    return this.binary("Add", a, b);
  }

  sub(a: string, b: string): string {
    return this.binary("Sub", a, b);
  }

  mul(a: string, b: string): string {
    return this.binary("Mul", a, b);
  }

  div(a: string, b: string): string {
    return this.binary("Div", a, b);
  }

  /** Concatenation along `axis`. @default axis 1 (channels) */
  concat(xs: string[], axis = 1): string {
    const shapes = xs.map((x) => this.shape(x));
    const out = [...shapes[0]];
    const ax = axis < 0 ? axis + out.length : axis;
    out[ax] = shapes.reduce((sum, s) => sum + (s[ax] as number), 0);
    return this.node("Concat", xs, { axis }, { outputShapes: [out] })[0];
  }

  maxPool(x: string, o: PoolOptions): string {
    return this.pool("MaxPool", x, o);
  }

  avgPool(x: string, o: PoolOptions): string {
    return this.pool("AveragePool", x, o);
  }

  globalAveragePool(x: string): string {
    const [n, c] = this.shape4(x);
    return this.node("GlobalAveragePool", [x], {}, { outputShapes: [[n, c, 1, 1]] })[0];
  }

  /** Flatten to 2-D at `axis`. @default axis 1 */
  flatten(x: string, axis = 1): string {
    const s = this.shape(x);
    const rest = s.slice(axis).reduce<number>((p, d) => p * (d as number), 1);
    const lead = axis === 0 ? 1 : s.slice(0, axis).every((d) => typeof d === "number")
      ? s.slice(0, axis).reduce<number>((p, d) => p * (d as number), 1)
      : s[0];
    return this.node("Flatten", [x], { axis }, { outputShapes: [[lead, rest]] })[0];
  }

  /** Reshape to `shape` (static; 0 copies the input dim, -1 is inferred). */
  reshape(x: string, shape: number[]): string {
    const s = this.shape(x);
    const id = this.counter++;
    const shapeName = this.initializer(int64Tensor(`reshape${id}.shape`, [shape.length], shape));
    const out: Dim[] = shape.map((d, i) => (d === 0 ? s[i] : d));
    const neg = out.indexOf(-1);
    if (neg >= 0) {
      const total = s.reduce<number>((p, d) => p * (d as number), 1);
      const known = out.reduce<number>((p, d) => (d === -1 ? p : p * (d as number)), 1);
      out[neg] = total / known;
    }
    return this.node("Reshape", [x, shapeName], {}, { name: `Reshape_${id}`, outputShapes: [out] })[0];
  }

  transpose(x: string, perm: number[]): string {
    const s = this.shape(x);
    return this.node("Transpose", [x], { perm }, { outputShapes: [perm.map((p) => s[p])] })[0];
  }

  /**
   * Spatial Resize of an NCHW value by `scale` (both axes), nearest
   * (asymmetric/floor, like PyTorch `Upsample(mode="nearest")`) or linear
   * (half_pixel, like `align_corners=False`).
   */
  resize(x: string, o: { scale: number; mode?: "nearest" | "linear" }): string {
    const [n, c, h, w] = this.shape4(x);
    const id = this.counter++;
    const scales = this.constant(`resize${id}.scales`, [4], [1, 1, o.scale, o.scale]);
    const mode = o.mode ?? "nearest";
    const attrs: Record<string, AttributeValue> =
      mode === "nearest"
        ? { mode, coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" }
        : { mode, coordinate_transformation_mode: "half_pixel" };
    const out = [n, c, Math.floor(h * o.scale), Math.floor(w * o.scale)];
    return this.node("Resize", [x, "", scales], attrs, { name: `Resize_${id}`, outputShapes: [out] })[0];
  }

  /** The finished model (IR 8, float32). The builder should not be used afterwards. */
  build(): Model {
    const graph: Graph = {
      name: this.graphName,
      nodes: this.nodes,
      inputs: this.inputs,
      outputs: this.outputs,
      initializers: this.initializers,
      valueInfo: new Map(),
    };
    return {
      irVersion: 8,
      opsets: { "": this.opset },
      producerName: "approxcaliper",
      producerVersion: "0.1.0",
      docString: "",
      metadata: {},
      graph,
    };
  }

  private unary(op: string, x: string): string {
    return this.node(op, [x], {}, { outputShapes: [this.shape(x)] })[0];
  }

  private binary(op: string, a: string, b: string): string {
    return this.node(op, [a, b], {}, { outputShapes: [broadcast(this.shape(a), this.shape(b))] })[0];
  }

  private pool(op: "MaxPool" | "AveragePool", x: string, o: PoolOptions): string {
    const [n, c, h, w] = this.shape4(x);
    const [kh, kw] = pair(o.kernel);
    const [sh, sw] = pair(o.stride ?? o.kernel);
    const [ph, pw] = pair(o.pad ?? 0);
    const ceil = o.ceilMode ?? false;
    const attrs: Record<string, AttributeValue> = {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      pads: [ph, pw, ph, pw],
      ceil_mode: ceil ? 1 : 0,
    };
    if (op === "AveragePool") attrs.count_include_pad = o.countIncludePad ? 1 : 0;
    const out = [n, c, poolOut(h, kh, sh, ph, ceil), poolOut(w, kw, sw, pw, ceil)];
    return this.node(op, [x], attrs, { outputShapes: [out] })[0];
  }

  private shape4(x: string): [Dim, number, number, number] {
    const s = this.shape(x);
    if (s.length !== 4 || s.slice(1).some((d) => typeof d !== "number")) {
      throw new Error(`GraphBuilder: "${x}" must be NCHW with static C, H, W; got [${s.join(", ")}]`);
    }
    return s as [Dim, number, number, number];
  }

  private heUniform(name: string, dims: number[], fanIn: number): string {
    const bound = Math.sqrt(6 / fanIn);
    const n = dims.reduce((p, d) => p * d, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = this.rng.uniform(-bound, bound);
    return this.initializer({ name, dataType: DataType.FLOAT, dims, data });
  }

  private biasUniform(name: string, n: number, fanIn: number): string {
    const bound = 1 / Math.sqrt(fanIn);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = this.rng.uniform(-bound, bound);
    return this.initializer({ name, dataType: DataType.FLOAT, dims: [n], data });
  }
}

function pair(v: Pair): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}

function pads4(p: Pair | [number, number, number, number]): number[] {
  if (typeof p === "number") return [p, p, p, p];
  return p.length === 2 ? [p[0], p[1], p[0], p[1]] : [...p];
}

function convOut(size: number, k: number, s: number, d: number, p0: number, p1: number): number {
  return Math.floor((size + p0 + p1 - ((k - 1) * d + 1)) / s) + 1;
}

function poolOut(size: number, k: number, s: number, p: number, ceil: boolean): number {
  const raw = (size + 2 * p - k) / s;
  let out = (ceil ? Math.ceil(raw) : Math.floor(raw)) + 1;
  // ONNX/PyTorch: the last window must start inside the input or left padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function broadcast(a: Dim[], b: Dim[]): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}
