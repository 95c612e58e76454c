import { Random } from "../../common/index.ts";
import { ModelFormatError } from "./errors.ts";
import type { AttributeValue, Dim, Graph, Model, Node, Tensor, ValueInfo } from "./ir.ts";
import { DataType } from "./ir.ts";
import { shapeRule, smallValue } from "./shapeRules.ts";
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
 * the name of its output value. The builder runs shape inference as it goes
 * (the rules of `inferShapes`), so channel and feature counts need not be
 * repeated and shape errors surface at the call that makes them.
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
  private readonly shapes = new Map<string, { shape: Dim[] | undefined; dataType: DataType }>();
  private readonly values = new Map<string, Dim[]>();
  private counter = 0;

  constructor(opts: GraphBuilderOptions = {}) {
    this.rng = new Random(opts.seed ?? 0);
    this.graphName = opts.name ?? "graph";
    this.opset = opts.opset ?? 18;
  }

  /** Declares a float32 graph input. Dim 0 may be symbolic (e.g. `"batch"`). */
  input(name: string, shape: Dim[]): string {
    this.inputs.push({ name, dataType: DataType.FLOAT, shape: [...shape] });
    this.shapes.set(name, { shape: [...shape], dataType: DataType.FLOAT });
    return name;
  }

  /** Marks `value` as a graph output (with its inferred type and shape, when known). */
  output(value: string): void {
    const info = this.shapes.get(value);
    if (!info) throw new Error(`GraphBuilder: unknown value "${value}"`);
    const out: ValueInfo = { name: value, dataType: info.dataType };
    if (info.shape) out.shape = [...info.shape];
    this.outputs.push(out);
  }

  /** The inferred shape of `value`. @throws Error for unknown values or shapes. */
  shape(value: string): Dim[] {
    const s = this.shapes.get(value)?.shape;
    if (!s) throw new Error(`GraphBuilder: shape of "${value}" is unknown`);
    return [...s];
  }

  /** Adds an initializer of any type and returns its name. */
  initializer(tensor: Tensor): string {
    if (this.initializers.has(tensor.name)) throw new Error(`GraphBuilder: initializer "${tensor.name}" exists`);
    this.initializers.set(tensor.name, tensor);
    this.shapes.set(tensor.name, { shape: [...tensor.dims], dataType: tensor.dataType });
    const value = smallValue(tensor);
    if (value) this.values.set(tensor.name, value);
    return tensor.name;
  }

  /** Adds a float32 initializer `name` with the given dims and values. */
  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.initializer({ name, dataType: DataType.FLOAT, dims, data: Float32Array.from(values) });
  }

  /**
   * Adds any default-domain node and returns its output names
   * (`<name>_out`, or `<name>_out<i>` for several). Output shapes are
   * inferred when the op has a shape rule, and unknown otherwise.
   *
   * @throws ModelFormatError when the op's shape rule rejects the inputs.
   */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    opts: { name?: string; outputs?: number } = {},
  ): string[] {
    const name = opts.name ?? `${opType}_${this.counter++}`;
    const count = opts.outputs ?? 1;
    const outputs = Array.from({ length: count }, (_, i) => (count === 1 ? `${name}_out` : `${name}_out${i}`));
    const node: Node = { name, opType, domain: "", inputs, outputs, attributes };
    for (const i of inputs) if (i && !this.shapes.has(i)) throw new Error(`GraphBuilder: unknown value "${i}"`);
    const rule = shapeRule(opType);
    const results = rule?.infer({
      node,
      inputs: inputs.map((n) => ({
        name: n,
        shape: this.shapes.get(n)?.shape,
        dataType: this.shapes.get(n)?.dataType,
        value: this.values.get(n),
      })),
      opset: this.opset,
      fail: (message) => {
        throw new ModelFormatError(this.graphName, `node "${name}" (${opType}): ${message}`);
      },
    });
    outputs.forEach((o, i) => {
      const r = results?.[i];
      this.shapes.set(o, { shape: r?.shape, dataType: r?.dataType ?? DataType.FLOAT });
      if (r?.value) this.values.set(o, r.value);
    });
    this.nodes.push(node);
    return outputs;
  }

  /** 2-D convolution (weights `[outC, inC/groups, kh, kw]`). */
  conv(x: string, o: ConvOptions): string {
    const c = this.channels(x);
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
    return this.node("Conv", inputs, { kernel_shape: [kh, kw], strides: [sh, sw], pads, dilations: [dh, dw], group: groups }, { name })[0];
  }

  /** 2-D transposed convolution (weights `[inC, outC/groups, kh, kw]`). */
  convTranspose(x: string, o: ConvTransposeOptions): string {
    const c = this.channels(x);
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
    const attrs: Record<string, AttributeValue> = {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      pads: [ph, pw, ph, pw],
      dilations: [dh, dw],
      group: groups,
    };
    if (oph || opw) attrs.output_padding = [oph, opw];
    return this.node("ConvTranspose", inputs, attrs, { name })[0];
  }

  /** Inference-mode BatchNormalization over channel axis 1. */
  batchNorm(x: string, o: { epsilon?: number; momentum?: number; name?: string } = {}): string {
    const c = this.channels(x);
    const name = o.name ?? `BatchNormalization_${this.counter++}`;
    const r = this.rng;
    const gamma = this.constant(
      `${name}.weight`,
      [c],
      Array.from({ length: c }, () => r.uniform(0.5, 1.5)),
    );
    const beta = this.constant(
      `${name}.bias`,
      [c],
      Array.from({ length: c }, () => r.normal(0, 0.1)),
    );
    const mean = this.constant(
      `${name}.running_mean`,
      [c],
      Array.from({ length: c }, () => r.normal(0, 0.1)),
    );
    const variance = this.constant(
      `${name}.running_var`,
      [c],
      Array.from({ length: c }, () => r.uniform(0.5, 1.5)),
    );
    return this.node(
      "BatchNormalization",
      [x, gamma, beta, mean, variance],
      { epsilon: o.epsilon ?? 1e-5, momentum: o.momentum ?? 0.9 },
      { name },
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
    return this.node("Gemm", inputs, { alpha: 1, beta: 1, transB: 1 }, { name })[0];
  }

  /** Matrix product of two values (2-D or batched with equal batch dims). */
  matmul(a: string, b: string): string {
    return this.node("MatMul", [a, b])[0];
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
    return this.node("LeakyRelu", [x], { alpha })[0];
  }

  /** Clip to [min, max] (bounds as scalar initializers, opset ≥ 11 form). */
  clip(x: string, min: number, max: number): string {
    const id = this.counter++;
    const lo = this.constant(`clip${id}.min`, [], [min]);
    const hi = this.constant(`clip${id}.max`, [], [max]);
    return this.node("Clip", [x, lo, hi], {}, { name: `Clip_${id}` })[0];
  }

  /** Softmax along `axis`. @default axis -1 */
  softmax(x: string, axis = -1): string {
    return this.node("Softmax", [x], { axis })[0];
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
    return this.node("Concat", xs, { axis })[0];
  }

  maxPool(x: string, o: PoolOptions): string {
    return this.pool("MaxPool", x, o);
  }

  avgPool(x: string, o: PoolOptions): string {
    return this.pool("AveragePool", x, o);
  }

  globalAveragePool(x: string): string {
    return this.node("GlobalAveragePool", [x])[0];
  }

  /** Flatten to 2-D at `axis`. @default axis 1 */
  flatten(x: string, axis = 1): string {
    return this.node("Flatten", [x], { axis })[0];
  }

  /** Reshape to `shape` (static; 0 copies the input dim, -1 is inferred). */
  reshape(x: string, shape: number[]): string {
    const id = this.counter++;
    const shapeName = this.initializer(int64Tensor(`reshape${id}.shape`, [shape.length], shape));
    return this.node("Reshape", [x, shapeName], {}, { name: `Reshape_${id}` })[0];
  }

  transpose(x: string, perm: number[]): string {
    return this.node("Transpose", [x], { perm })[0];
  }

  /**
   * Spatial Resize of an NCHW value by `scale` (both axes), nearest
   * (asymmetric/floor, like PyTorch `Upsample(mode="nearest")`) or linear
   * (half_pixel, like `align_corners=False`).
   */
  resize(x: string, o: { scale: number; mode?: "nearest" | "linear" }): string {
    const id = this.counter++;
    const scales = this.constant(`resize${id}.scales`, [4], [1, 1, o.scale, o.scale]);
    const mode = o.mode ?? "nearest";
    const attrs: Record<string, AttributeValue> =
      mode === "nearest"
        ? { mode, coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" }
        : { mode, coordinate_transformation_mode: "half_pixel" };
    return this.node("Resize", [x, "", scales], attrs, { name: `Resize_${id}` })[0];
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
    return this.node(op, [x])[0];
  }

  private binary(op: string, a: string, b: string): string {
    return this.node(op, [a, b])[0];
  }

  private pool(op: "MaxPool" | "AveragePool", x: string, o: PoolOptions): string {
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
    return this.node(op, [x], attrs)[0];
  }

  private channels(x: string): number {
    const s = this.shape(x);
    if (s.length < 2 || typeof s[1] !== "number") {
      throw new Error(`GraphBuilder: "${x}" needs a static channel dim (axis 1); got [${s.join(", ")}]`);
    }
    return s[1];
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
