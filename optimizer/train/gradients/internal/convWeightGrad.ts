import type { GradContext } from "../GradientRule.ts";
import { im2col, type Windows } from "./windows.ts";

/**
 * d(loss)/d(weight) of a grouped 2-D convolution from its input `x` [N, C, H, W] and output gradient `dy`
 * [N, M, Ho, Wo], as im2col + MatMul (measured faster in onnxruntime than a Conv with swapped axes):
 * returns the [M, C/group, kh, kw] weight gradient. ConvTranspose reuses it with the roles of x and dy swapped.
 */
export function convWeightGrad(ctx: GradContext, x: string, dy: string, win: Windows, c: number, m: number, group: number): string {
  const [kh, kw] = win.kernel;
  const k = kh * kw;
  const p = win.output[0] * win.output[1];
  const cg = c / group;
  const mg = m / group;
  const cols = im2col(ctx, x, win, 0); // [N, C, K·Ho, Wo]
  const weightShape = ctx.constInt64([m, cg, kh, kw]);
  if (cg === 1 && mg === 1) {
    // Depthwise: each output channel sees one input channel, so an elementwise product and a sum suffice.
    const xc = ctx.op("Reshape", [cols, ctx.constInt64([0, c, k, p])]);
    const g = ctx.op("Reshape", [dy, ctx.constInt64([0, c, 1, p])]);
    const summed = ctx.op("ReduceSum", [ctx.op("Mul", [g, xc]), ctx.constInt64([0, 3])], { keepdims: 0 });
    return ctx.op("Reshape", [summed, weightShape]);
  }
  let product: string;
  if (group === 1) {
    // [N, M, P] · [N, P, C·K] per image, then summed over the batch.
    const xc = ctx.op("Reshape", [cols, ctx.constInt64([0, c * k, p])]);
    const g = ctx.op("Reshape", [dy, ctx.constInt64([0, m, p])]);
    product = ctx.op("MatMul", [g, ctx.op("Transpose", [xc], { perm: [0, 2, 1] })]);
  } else {
    const xc = ctx.op("Reshape", [cols, ctx.constInt64([0, group, cg * k, p])]);
    const g = ctx.op("Reshape", [dy, ctx.constInt64([0, group, mg, p])]);
    product = ctx.op("MatMul", [g, ctx.op("Transpose", [xc], { perm: [0, 1, 3, 2] })]);
  }
  const summed = ctx.op("ReduceSum", [product, ctx.constInt64([0])], { keepdims: 0 });
  return ctx.op("Reshape", [summed, weightShape]);
}
