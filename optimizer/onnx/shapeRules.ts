/**
 * Shape (and small-value) inference rules, one per operator, registered as
 * data. Each rule maps its inputs' shapes, types and — for small integer
 * tensors such as shapes and axes — known values to its outputs'.
 *
 * Known values are what lets PyTorch's `Shape → Gather → Unsqueeze → Concat
 * → Reshape` chains resolve to static (or batch-symbolic) shapes.
 */
import { attrFloat, attrInt, attrInts, attrString, attrTensor } from "./attributes.ts";
import type { DataType, Dim, Node, Tensor } from "./ir.ts";
import { DataType as DT } from "./ir.ts";

/** What a rule knows about one input. `shape` is undefined when unknown or omitted. */
export interface ShapeInput {
  name: string;
  shape: Dim[] | undefined;
  dataType: DataType | undefined;
  /** Row-major values of a known small integer/float tensor (symbolic dims allowed). */
  value: Dim[] | undefined;
}

/** What a rule produces for one output. */
export interface ShapeOutput {
  shape: Dim[] | undefined;
  dataType: DataType | undefined;
  value?: Dim[];
}

/** The inputs of a rule application. */
export interface ShapeContext {
  node: Node;
  /** Same length as `node.inputs`; omitted optional inputs have name "". */
  inputs: ShapeInput[];
  /** ai.onnx opset of the model. */
  opset: number;
  /** Throws a ModelFormatError naming the model and node. */
  fail(message: string): never;
}

/** Shape inference for one op type. */
export interface ShapeRule {
  opType: string;
  infer(ctx: ShapeContext): ShapeOutput[];
}

const registry = new Map<string, ShapeRule>();

function register(opType: string | string[], infer: (ctx: ShapeContext) => ShapeOutput[]): void {
  for (const op of Array.isArray(opType) ? opType : [opType]) {
    if (registry.has(op)) throw new Error(`duplicate shape rule for ${op}`);
    registry.set(op, { opType: op, infer });
  }
}

/** The rule for `opType` in the default domain, if supported. */
export function shapeRule(opType: string): ShapeRule | undefined {
  return registry.get(opType);
}

/** Every op type with a shape rule, sorted. */
export function supportedOps(): string[] {
  return [...registry.keys()].sort();
}

// ---------- helpers ----------

function isNum(d: Dim): d is number {
  return typeof d === "number";
}

function need(ctx: ShapeContext, i: number): Dim[] {
  const s = ctx.inputs[i]?.shape;
  if (!s) ctx.fail(`input ${i} ("${ctx.node.inputs[i] ?? ""}") has unknown shape`);
  return s!;
}

function constInts(ctx: ShapeContext, i: number, what: string): number[] {
  const v = ctx.inputs[i]?.value;
  if (!v || !v.every(isNum)) ctx.fail(`${what} (input ${i}, "${ctx.node.inputs[i]}") must be a constant`);
  return v as number[];
}

function optionalConstInts(ctx: ShapeContext, i: number, what: string): number[] | undefined {
  const name = ctx.node.inputs[i];
  if (!name) return undefined;
  return constInts(ctx, i, what);
}

function normAxis(ctx: ShapeContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) ctx.fail(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

function product(dims: Dim[]): Dim {
  let p = 1;
  for (const d of dims) {
    if (!isNum(d)) return dims.length === 1 ? d : null;
    p *= d;
  }
  return p;
}

function mulDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  return isNum(a) && isNum(b) ? a * b : null;
}

/** Numpy-style broadcast of several shapes. */
function broadcastShapes(ctx: ShapeContext, shapes: Dim[][]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x === 1) continue;
      if (d === 1) d = x;
      else if (isNum(d) && isNum(x) && d !== x) {
        ctx.fail(`cannot broadcast shapes ${shapes.map((s) => `[${s.join(", ")}]`).join(" and ")}`);
      } else if (!isNum(d) && isNum(x)) d = x;
      else if (d !== x && !isNum(x) && !isNum(d)) d = null;
    }
    out.push(d);
  }
  return out;
}

function same(ctx: ShapeContext): ShapeOutput[] {
  const x = ctx.inputs[0];
  return [{ shape: x.shape, dataType: x.dataType, value: x.value }];
}

function spatialAttrs(ctx: ShapeContext, spatial: number, kernel: number[]) {
  const n = ctx.node;
  const strides = attrInts(n, "strides") ?? new Array<number>(spatial).fill(1);
  const dilations = attrInts(n, "dilations") ?? new Array<number>(spatial).fill(1);
  const pads = attrInts(n, "pads") ?? new Array<number>(2 * spatial).fill(0);
  const autoPad = attrString(n, "auto_pad", "NOTSET");
  if (kernel.length !== spatial || strides.length !== spatial || dilations.length !== spatial || pads.length !== 2 * spatial) {
    ctx.fail(`kernel_shape/strides/dilations/pads do not match ${spatial} spatial dims`);
  }
  return { strides, dilations, pads, autoPad };
}

/** Output size of a sliding window (Conv and pooling). */
function windowOut(ctx: ShapeContext, size: Dim, k: number, s: number, d: number, p0: number, p1: number, autoPad: string, ceil: boolean): Dim {
  if (!isNum(size)) return null;
  const ek = (k - 1) * d + 1;
  let out: number;
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") out = Math.ceil(size / s);
  else if (autoPad === "VALID") out = Math.floor((size - ek) / s) + 1;
  else if (autoPad === "NOTSET") {
    const raw = (size + p0 + p1 - ek) / s;
    out = (ceil ? Math.ceil(raw) : Math.floor(raw)) + 1;
    // As PyTorch and onnxruntime: the last window must start inside the input or the left padding.
    if (ceil && (out - 1) * s >= size + p0) out--;
  } else return ctx.fail(`unknown auto_pad "${autoPad}"`);
  if (out <= 0) ctx.fail(`window of size ${ek} does not fit an input of size ${size} (+ pads ${p0}, ${p1})`);
  return out;
}

// ---------- convolution and pooling ----------

register("Conv", (ctx) => {
  const x = need(ctx, 0);
  const w = need(ctx, 1);
  if (x.length < 3 || w.length !== x.length) ctx.fail(`input rank ${x.length} and weight rank ${w.length} do not fit Conv`);
  const spatial = x.length - 2;
  const kernel = attrInts(ctx.node, "kernel_shape") ?? (w.slice(2) as number[]);
  const group = attrInt(ctx.node, "group", 1);
  const { strides, dilations, pads, autoPad } = spatialAttrs(ctx, spatial, kernel);
  if (isNum(x[1]) && isNum(w[1]) && x[1] !== w[1] * group) {
    ctx.fail(`input has ${x[1]} channels but weight expects ${w[1]}×group ${group} = ${w[1] * group}`);
  }
  if (isNum(w[0]) && w[0] % group !== 0) ctx.fail(`${w[0]} output channels not divisible by group ${group}`);
  const out: Dim[] = [x[0], w[0]];
  for (let i = 0; i < spatial; i++) {
    out.push(windowOut(ctx, x[2 + i], kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial], autoPad, false));
  }
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
});

register("ConvTranspose", (ctx) => {
  const x = need(ctx, 0);
  const w = need(ctx, 1);
  if (x.length < 3 || w.length !== x.length) ctx.fail(`input rank ${x.length} and weight rank ${w.length} do not fit ConvTranspose`);
  const spatial = x.length - 2;
  const kernel = attrInts(ctx.node, "kernel_shape") ?? (w.slice(2) as number[]);
  const group = attrInt(ctx.node, "group", 1);
  const { strides, dilations, pads, autoPad } = spatialAttrs(ctx, spatial, kernel);
  if (isNum(x[1]) && isNum(w[0]) && x[1] !== w[0]) ctx.fail(`input has ${x[1]} channels but weight expects ${w[0]}`);
  const outPad = attrInts(ctx.node, "output_padding") ?? new Array<number>(spatial).fill(0);
  const outputShape = attrInts(ctx.node, "output_shape");
  const out: Dim[] = [x[0], mulDim(w[1], group)];
  for (let i = 0; i < spatial; i++) {
    const size = x[2 + i];
    if (outputShape) out.push(outputShape[outputShape.length - spatial + i]);
    else if (!isNum(size)) out.push(null);
    else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") out.push(size * strides[i]);
    else {
      const total = autoPad === "VALID" ? 0 : pads[i] + pads[i + spatial];
      out.push(strides[i] * (size - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1 - total);
    }
  }
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
});

function pool(ctx: ShapeContext): ShapeOutput[] {
  const x = need(ctx, 0);
  const spatial = x.length - 2;
  const kernel = attrInts(ctx.node, "kernel_shape");
  if (!kernel) ctx.fail("missing kernel_shape");
  const { strides, dilations, pads, autoPad } = spatialAttrs(ctx, spatial, kernel!);
  const ceil = attrInt(ctx.node, "ceil_mode", 0) === 1;
  const out: Dim[] = [x[0], x[1]];
  for (let i = 0; i < spatial; i++) {
    out.push(windowOut(ctx, x[2 + i], kernel![i], strides[i], dilations[i], pads[i], pads[i + spatial], autoPad, ceil));
  }
  const outputs: ShapeOutput[] = [{ shape: out, dataType: ctx.inputs[0].dataType }];
  if (ctx.node.outputs.length > 1) outputs.push({ shape: out, dataType: DT.INT64 });
  return outputs;
}
register(["MaxPool", "AveragePool", "LpPool"], pool);

register(["GlobalAveragePool", "GlobalMaxPool"], (ctx) => {
  const x = need(ctx, 0);
  return [{ shape: [x[0], x[1], ...x.slice(2).map(() => 1)], dataType: ctx.inputs[0].dataType }];
});

register("BatchNormalization", (ctx) => {
  const x = need(ctx, 0);
  const c = x[1];
  const outs: ShapeOutput[] = [{ shape: x, dataType: ctx.inputs[0].dataType }];
  for (let i = 1; i < ctx.node.outputs.length; i++) outs.push({ shape: [c], dataType: ctx.inputs[0].dataType });
  return outs;
});

// ---------- elementwise ----------

register(
  [
    "Relu",
    "LeakyRelu",
    "Sigmoid",
    "Tanh",
    "Identity",
    "Elu",
    "Selu",
    "HardSigmoid",
    "HardSwish",
    "Softplus",
    "Softsign",
    "Exp",
    "Log",
    "Sqrt",
    "Neg",
    "Abs",
    "Reciprocal",
    "Erf",
    "Floor",
    "Ceil",
    "Round",
    "Sign",
    "Softmax",
    "LogSoftmax",
    "Not",
  ],
  same,
);

register("Clip", (ctx) => [{ shape: need(ctx, 0), dataType: ctx.inputs[0].dataType }]);

register("Dropout", (ctx) => {
  const x = need(ctx, 0);
  const outs: ShapeOutput[] = [{ shape: x, dataType: ctx.inputs[0].dataType }];
  if (ctx.node.outputs.length > 1) outs.push({ shape: x, dataType: DT.BOOL });
  return outs;
});

function arith(op: (a: number, b: number) => number) {
  return (ctx: ShapeContext): ShapeOutput[] => {
    const shapes = ctx.inputs.map((_, i) => need(ctx, i));
    const shape = broadcastShapes(ctx, shapes);
    const [a, b] = ctx.inputs;
    let value: Dim[] | undefined;
    // Small shape arithmetic (PyTorch's interpolate exports): elementwise on known values.
    if (a.value && b?.value && shape.length <= 1 && a.value.every(isNum) && b.value.every(isNum)) {
      const n = Math.max(a.value.length, b.value.length);
      value = Array.from({ length: n }, (_, i) =>
        op(a.value![a.value!.length === 1 ? 0 : i] as number, b.value![b.value!.length === 1 ? 0 : i] as number),
      );
      if (a.dataType === DT.INT64 || a.dataType === DT.INT32) value = value.map((v) => Math.trunc(v as number));
    }
    return [{ shape, dataType: a.dataType, value }];
  };
}
register(
  "Add",
  arith((a, b) => a + b),
);
register(
  "Sub",
  arith((a, b) => a - b),
);
register(
  "Mul",
  arith((a, b) => a * b),
);
register(
  "Div",
  arith((a, b) => a / b),
);
register(
  "Pow",
  arith((a, b) => a ** b),
);
register(
  "PRelu",
  arith((a, b) => (a < 0 ? a * b : a)),
);
register(["Sum", "Max", "Min", "Mean"], (ctx) => {
  const shapes = ctx.inputs.map((_, i) => need(ctx, i));
  return [{ shape: broadcastShapes(ctx, shapes), dataType: ctx.inputs[0].dataType }];
});

register("Cast", (ctx) => {
  const to = attrInt(ctx.node, "to", 0) as DataType;
  const x = ctx.inputs[0];
  return [{ shape: need(ctx, 0), dataType: to, value: x.value }];
});

// ---------- tensor manipulation ----------

register("Concat", (ctx) => {
  const shapes = ctx.inputs.map((_, i) => need(ctx, i));
  const rank = shapes[0].length;
  const axis = normAxis(ctx, attrInt(ctx.node, "axis", 0), rank);
  const out = [...shapes[0]];
  let total: Dim = 0;
  for (const s of shapes) {
    if (s.length !== rank) ctx.fail(`inputs have different ranks (${shapes.map((x) => x.length).join(", ")})`);
    for (let d = 0; d < rank; d++) {
      if (d !== axis && isNum(s[d]) && isNum(out[d]) && s[d] !== out[d]) {
        ctx.fail(`inputs differ in dim ${d}: ${shapes.map((x) => `[${x.join(", ")}]`).join(", ")}`);
      }
    }
    total = isNum(total) && isNum(s[axis]) ? total + s[axis] : null;
  }
  out[axis] = total;
  const values = ctx.inputs.map((i) => i.value);
  const value = rank === 1 && values.every((v) => v !== undefined) ? values.flatMap((v) => v!) : undefined;
  return [{ shape: out, dataType: ctx.inputs[0].dataType, value }];
});

register("Split", (ctx) => {
  const x = need(ctx, 0);
  const axis = normAxis(ctx, attrInt(ctx.node, "axis", 0), x.length);
  const n = ctx.node.outputs.length;
  let sizes = ctx.opset >= 13 ? optionalConstInts(ctx, 1, "split") : attrInts(ctx.node, "split");
  if (!sizes) {
    const dim = x[axis];
    if (!isNum(dim))
      return Array.from({ length: n }, () => ({ shape: x.map((d, i) => (i === axis ? null : d)), dataType: ctx.inputs[0].dataType }));
    const chunk = Math.ceil(dim / n);
    sizes = Array.from({ length: n }, (_, i) => Math.min(chunk, dim - chunk * i));
  }
  if (sizes.length !== n) ctx.fail(`split has ${sizes.length} sizes for ${n} outputs`);
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (isNum(x[axis]) && sum !== x[axis]) ctx.fail(`split sizes [${sizes.join(", ")}] do not add up to dim ${x[axis]}`);
  return sizes.map((s) => ({ shape: x.map((d, i) => (i === axis ? s : d)), dataType: ctx.inputs[0].dataType }));
});

register("Slice", (ctx) => {
  const x = need(ctx, 0);
  let starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined;
  if (ctx.opset >= 10) {
    starts = constInts(ctx, 1, "starts");
    ends = constInts(ctx, 2, "ends");
    axes = optionalConstInts(ctx, 3, "axes");
    steps = optionalConstInts(ctx, 4, "steps");
  } else {
    starts = attrInts(ctx.node, "starts") ?? [];
    ends = attrInts(ctx.node, "ends") ?? [];
    axes = attrInts(ctx.node, "axes");
  }
  axes = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(ctx, a, x.length));
  const out = [...x];
  const ranges: [number, number, number][] = [];
  for (let k = 0; k < axes.length; k++) {
    const ax = axes[k];
    const dim = x[ax];
    const step = steps?.[k] ?? 1;
    if (step === 0) ctx.fail("slice step 0");
    if (!isNum(dim)) {
      out[ax] = null;
      continue;
    }
    let s = starts[k] < 0 ? starts[k] + dim : starts[k];
    let e = ends[k] < 0 ? ends[k] + dim : ends[k];
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      out[ax] = Math.max(0, Math.ceil((e - s) / step));
    } else {
      s = Math.min(Math.max(s, 0), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
      out[ax] = Math.max(0, Math.ceil((e - s) / step));
    }
    ranges.push([s, step, out[ax] as number]);
  }
  const v = ctx.inputs[0].value;
  let value: Dim[] | undefined;
  if (v && x.length === 1 && ranges.length === 1) {
    const [s, step, count] = ranges[0];
    value = Array.from({ length: count }, (_, i) => v[s + i * step]);
  }
  return [{ shape: out, dataType: ctx.inputs[0].dataType, value }];
});

register("Flatten", (ctx) => {
  const x = need(ctx, 0);
  const raw = attrInt(ctx.node, "axis", 1);
  const axis = raw < 0 ? raw + x.length : raw;
  if (axis < 0 || axis > x.length) ctx.fail(`axis ${raw} out of range for rank ${x.length}`);
  return [{ shape: [product(x.slice(0, axis)), product(x.slice(axis))], dataType: ctx.inputs[0].dataType }];
});

register("Reshape", (ctx) => {
  const x = need(ctx, 0);
  const target = ctx.inputs[1]?.value;
  if (!target) ctx.fail(`target shape "${ctx.node.inputs[1]}" is not a constant`);
  const allowZero = attrInt(ctx.node, "allowzero", 0) === 1;
  const out: Dim[] = target!.map((d, i) => (d === 0 && !allowZero ? (x[i] ?? ctx.fail("0 in shape beyond input rank")) : d));
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    if (out.indexOf(-1, neg + 1) >= 0) ctx.fail("more than one -1 in the target shape");
    out[neg] = inferMissing(
      x,
      out.filter((_, i) => i !== neg),
    );
  }
  const inTotal = product(x);
  const outTotal = product(out);
  if (isNum(inTotal) && isNum(outTotal) && inTotal !== outTotal) {
    ctx.fail(`cannot reshape [${x.join(", ")}] (${inTotal} values) to [${out.join(", ")}]`);
  }
  return [{ shape: out, dataType: ctx.inputs[0].dataType, value: ctx.inputs[0].value }];
});

/** The dim that makes `known` hold as many values as `full`, cancelling equal symbolic dims. */
function inferMissing(full: Dim[], known: Dim[]): Dim {
  let num = 1;
  const symbols: Dim[] = [];
  for (const d of full) {
    if (isNum(d)) num *= d;
    else symbols.push(d);
  }
  let den = 1;
  for (const d of known) {
    if (isNum(d)) den *= d;
    else {
      const j = d === null ? -1 : symbols.indexOf(d);
      if (j < 0) return null;
      symbols.splice(j, 1);
    }
  }
  if (symbols.length === 1 && den !== 0 && num % den === 0 && num / den === 1) return symbols[0];
  if (symbols.length > 0 || den === 0) return null;
  return num / den;
}

register("Transpose", (ctx) => {
  const x = need(ctx, 0);
  const perm = attrInts(ctx.node, "perm") ?? x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length) ctx.fail(`perm [${perm.join(", ")}] does not match rank ${x.length}`);
  return [{ shape: perm.map((p) => x[p]), dataType: ctx.inputs[0].dataType }];
});

register("Gemm", (ctx) => {
  const a = need(ctx, 0);
  const b = need(ctx, 1);
  if (a.length !== 2 || b.length !== 2) ctx.fail(`Gemm needs 2-D inputs, got [${a.join(", ")}] and [${b.join(", ")}]`);
  const [m, ka] = attrInt(ctx.node, "transA", 0) ? [a[1], a[0]] : [a[0], a[1]];
  const [kb, n] = attrInt(ctx.node, "transB", 0) ? [b[1], b[0]] : [b[0], b[1]];
  if (isNum(ka) && isNum(kb) && ka !== kb) ctx.fail(`inner dimensions differ: ${ka} vs ${kb}`);
  return [{ shape: [m, n], dataType: ctx.inputs[0].dataType }];
});

register("MatMul", (ctx) => {
  const a = need(ctx, 0);
  const b = need(ctx, 1);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const ka = a2[a2.length - 1];
  const kb = b2[b2.length - 2];
  if (isNum(ka) && isNum(kb) && ka !== kb) ctx.fail(`inner dimensions differ: ${ka} vs ${kb}`);
  const batch = broadcastShapes(ctx, [a2.slice(0, -2), b2.slice(0, -2)]);
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
});

function resize(ctx: ShapeContext): ShapeOutput[] {
  const x = need(ctx, 0);
  const op = ctx.node.opType;
  let scales: number[] | undefined;
  let sizes: number[] | undefined;
  if (op === "Upsample" && ctx.opset < 9) scales = ctx.node.attributes.scales as number[] | undefined;
  else if (op === "Upsample" || ctx.opset < 11) scales = constInts(ctx, 1, "scales");
  else {
    const scaleValue = ctx.node.inputs[2] ? ctx.inputs[2].value : undefined;
    if (ctx.node.inputs[2] && !scaleValue) ctx.fail(`scales "${ctx.node.inputs[2]}" must be a constant`);
    if (scaleValue && scaleValue.length > 0) scales = scaleValue as number[];
    else sizes = constInts(ctx, 3, "sizes");
  }
  const axes = attrInts(ctx.node, "axes")?.map((a) => normAxis(ctx, a, x.length)) ?? x.map((_, i) => i);
  if (attrString(ctx.node, "keep_aspect_ratio_policy", "stretch") !== "stretch" && sizes) {
    ctx.fail("keep_aspect_ratio_policy other than stretch is not supported");
  }
  const given = scales ?? sizes;
  if (!given || given.length !== axes.length) ctx.fail(`needs ${axes.length} scales or sizes, got ${given?.length ?? 0}`);
  const out = [...x];
  axes.forEach((ax, k) => {
    const d = x[ax];
    if (sizes) out[ax] = sizes[k];
    else out[ax] = scales![k] === 1 ? d : isNum(d) ? Math.floor(d * scales![k]) : null;
  });
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
}
register(["Resize", "Upsample"], resize);

register("Constant", (ctx) => {
  const n = ctx.node;
  const t = attrTensor(n, "value");
  if (t) return [{ shape: [...t.dims], dataType: t.dataType, value: smallValue(t) }];
  if (typeof n.attributes.value_float === "number") return [{ shape: [], dataType: DT.FLOAT, value: [attrFloat(n, "value_float", 0)] }];
  if (typeof n.attributes.value_int === "number") return [{ shape: [], dataType: DT.INT64, value: [attrInt(n, "value_int", 0)] }];
  const floats = n.attributes.value_floats;
  if (Array.isArray(floats)) return [{ shape: [floats.length], dataType: DT.FLOAT, value: floats as number[] }];
  const ints = attrInts(n, "value_ints");
  if (ints) return [{ shape: [ints.length], dataType: DT.INT64, value: ints }];
  return ctx.fail("Constant without a supported value attribute (value, value_float(s), value_int(s))");
});

/** Values of tensors small enough to be shapes, axes, scales or bounds. */
export function smallValue(t: Tensor): Dim[] | undefined {
  if (t.data.length > 64) return undefined;
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

register("Shape", (ctx) => {
  const x = need(ctx, 0);
  let start = attrInt(ctx.node, "start", 0);
  let end = attrInt(ctx.node, "end", x.length);
  if (start < 0) start += x.length;
  if (end < 0) end += x.length;
  start = Math.min(Math.max(start, 0), x.length);
  end = Math.min(Math.max(end, 0), x.length);
  const value = x.slice(start, end);
  return [{ shape: [value.length], dataType: DT.INT64, value }];
});

register("Gather", (ctx) => {
  const data = need(ctx, 0);
  const idx = need(ctx, 1);
  const axis = normAxis(ctx, attrInt(ctx.node, "axis", 0), data.length);
  const shape = [...data.slice(0, axis), ...idx, ...data.slice(axis + 1)];
  const dv = ctx.inputs[0].value;
  const iv = ctx.inputs[1].value;
  let value: Dim[] | undefined;
  if (dv && iv && data.length === 1 && iv.every(isNum)) {
    value = (iv as number[]).map((i) => dv[i < 0 ? i + dv.length : i]);
  }
  return [{ shape, dataType: ctx.inputs[0].dataType, value }];
});

register("Unsqueeze", (ctx) => {
  const x = need(ctx, 0);
  const axes = ctx.opset >= 13 ? constInts(ctx, 1, "axes") : (attrInts(ctx.node, "axes") ?? []);
  const rank = x.length + axes.length;
  const norm = axes.map((a) => normAxis(ctx, a, rank)).sort((a, b) => a - b);
  const out = [...x];
  for (const a of norm) out.splice(a, 0, 1);
  return [{ shape: out, dataType: ctx.inputs[0].dataType, value: ctx.inputs[0].value }];
});

register("Squeeze", (ctx) => {
  const x = need(ctx, 0);
  const axes = ctx.opset >= 13 ? optionalConstInts(ctx, 1, "axes") : attrInts(ctx.node, "axes");
  let out: Dim[];
  if (!axes) {
    if (x.some((d) => !isNum(d))) ctx.fail("Squeeze without axes on a symbolic shape");
    out = x.filter((d) => d !== 1);
  } else {
    const norm = new Set(axes.map((a) => normAxis(ctx, a, x.length)));
    for (const a of norm) if (isNum(x[a]) && x[a] !== 1) ctx.fail(`cannot squeeze axis ${a} of size ${x[a]}`);
    out = x.filter((_, i) => !norm.has(i));
  }
  return [{ shape: out, dataType: ctx.inputs[0].dataType, value: ctx.inputs[0].value }];
});

register(["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2"], (ctx) => {
  const x = need(ctx, 0);
  const axesFromInput = ctx.node.opType === "ReduceSum" ? ctx.opset >= 13 : ctx.opset >= 18;
  const axes = axesFromInput ? optionalConstInts(ctx, 1, "axes") : attrInts(ctx.node, "axes");
  const keep = attrInt(ctx.node, "keepdims", 1) === 1;
  const noop = attrInt(ctx.node, "noop_with_empty_axes", 0) === 1;
  if ((!axes || axes.length === 0) && noop) return [{ shape: x, dataType: ctx.inputs[0].dataType }];
  const set = new Set((axes && axes.length > 0 ? axes : x.map((_, i) => i)).map((a) => normAxis(ctx, a, x.length)));
  const out: Dim[] = [];
  x.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
});

register("Pad", (ctx) => {
  const x = need(ctx, 0);
  const pads = ctx.opset >= 11 ? constInts(ctx, 1, "pads") : (attrInts(ctx.node, "pads") ?? []);
  const axes = (ctx.opset >= 18 ? optionalConstInts(ctx, 3, "axes") : undefined)?.map((a) => normAxis(ctx, a, x.length)) ?? x.map((_, i) => i);
  if (pads.length !== 2 * axes.length) ctx.fail(`pads has ${pads.length} values for ${axes.length} axes`);
  const out = [...x];
  axes.forEach((ax, k) => {
    const d = x[ax];
    out[ax] = isNum(d) ? d + pads[k] + pads[k + axes.length] : null;
  });
  return [{ shape: out, dataType: ctx.inputs[0].dataType }];
});
