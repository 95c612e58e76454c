import { tensorToNumbers } from "../../onnx/tensor.ts";
import type { GradContext, GradientRule } from "./GradientRule.ts";

/**
 * y = x[starts:ends:steps] along constant axes (opset ≥ 10 inputs): dx scatters dy back to the positions it
 * was read from and is zero elsewhere — a Pad for unit steps, with zero-interleaving (Unsqueeze, Pad, Reshape)
 * for larger steps and a reversal for negative ones. Needs the static size of x along each sliced axis.
 */
export const Slice: GradientRule = {
  op: "Slice",
  grad(ctx) {
    const { node } = ctx;
    const [x, startsName, endsName, axesName, stepsName] = node.inputs;
    const shape = ctx.shape(x);
    const rank = shape.length;
    const constant = (name: string | undefined, what: string): number[] | undefined => {
      if (!name) return undefined;
      const t = ctx.constantValue(name);
      if (!t) ctx.fail(`the ${what} input must be a constant`);
      return tensorToNumbers(t!);
    };
    const starts = constant(startsName, "starts")!;
    const ends = constant(endsName, "ends")!;
    const axes = constant(axesName, "axes") ?? starts.map((_, i) => i);
    const steps = constant(stepsName, "steps") ?? starts.map(() => 1);
    let g = ctx.outputGrad(0)!;
    const pads = new Array<number>(2 * rank).fill(0);
    // Ascending axes: interleaving reshapes copy the leading dimensions and need the trailing ones unchanged.
    const order = axes.map((a, k) => ({ axis: a < 0 ? a + rank : a, k })).sort((p, q) => p.axis - q.axis);
    for (const { axis, k } of order) {
      if (steps[k] === 0) ctx.fail(`slice step along axis ${axis} is 0`);
      const dim = shape[axis];
      if (typeof dim !== "number") ctx.fail(`needs the static size of "${x}" along sliced axis ${axis}`);
      const { first, count, step } = sliceRange(starts[k], ends[k], steps[k], dim as number);
      if (count === 0) ctx.fail(`slice along axis ${axis} is empty`);
      // Ascending index order: read the reversed slice back in forward order.
      let low = first;
      if (step < 0) {
        g = ctx.op("Slice", [g, ctx.constInt64([-1]), ctx.constInt64([-(2 ** 62)]), ctx.constInt64([axis]), ctx.constInt64([-1])]);
        low = first + (count - 1) * step;
      }
      const stride = Math.abs(step);
      if (stride > 1 && count > 1) g = interleaveZeros(ctx, g, axis, count, stride);
      const span = (count - 1) * stride + 1;
      pads[axis] = low;
      pads[axis + rank] = (dim as number) - low - span;
    }
    if (pads.some((p) => p !== 0)) g = ctx.op("Pad", [g, ctx.constInt64(pads)]);
    return [g];
  },
};

/** First index read, element count and step of one sliced axis, with ONNX's clamping rules. */
function sliceRange(start: number, end: number, step: number, dim: number): { first: number; count: number; step: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
    return { first: s, count: Math.max(0, Math.ceil((e - s) / step)), step };
  }
  s = clamp(s, 0, dim - 1);
  e = clamp(e, -1, dim - 1);
  return { first: s, count: Math.max(0, Math.ceil((e - s) / step)), step };
}

/** [.., n, ..] → [.., (n−1)·stride + 1, ..] with stride−1 zeros between consecutive elements along `axis`. */
function interleaveZeros(ctx: GradContext, g: string, axis: number, count: number, stride: number): string {
  const shape = ctx.shape(ctx.node.outputs[0]);
  const rank = shape.length;
  const expanded = ctx.op("Unsqueeze", [g, ctx.constInt64([axis + 1])]);
  const pads = new Array<number>(2 * (rank + 1)).fill(0);
  pads[axis + 1 + rank + 1] = stride - 1;
  const padded = ctx.op("Pad", [expanded, ctx.constInt64(pads)]);
  // Reshape merges (n, stride): leading dims are copied (0), trailing ones must be static.
  const target: number[] = [];
  for (let a = 0; a < rank; a++) {
    if (a < axis) target.push(0);
    else if (a === axis) target.push(count * stride);
    else {
      const d = shape[a];
      if (typeof d !== "number") ctx.fail(`strided slice needs static dimensions after axis ${axis}`);
      target.push(d as number);
    }
  }
  const merged = ctx.op("Reshape", [padded, ctx.constInt64(target)]);
  return ctx.op("Slice", [merged, ctx.constInt64([0]), ctx.constInt64([(count - 1) * stride + 1]), ctx.constInt64([axis])]);
}
