import type { GradContext } from "../GradientRule.ts";
import type { Windows } from "./windows.ts";

/**
 * d(loss)/d(weight) of a grouped 2-D convolution from its input `x` [N, C, H, W] and output gradient `dy`
 * [N, M, Ho, Wo], as im2col + MatMul: returns the [M, C/group, kh, kw] weight gradient. ConvTranspose reuses
 * it with the roles of x and dy swapped.
 *
 * The im2col is itself a convolution: a depthwise Conv whose K = kh·kw filters per channel are one-hot picks
 * each kernel offset, with the forward geometry (pads, strides, dilations) handled natively. Measured on the
 * reference CNN step (batch 16, one thread): about 2× faster per Conv gradient than a strided Slice per
 * offset + Concat, and faster than the Conv-with-swapped-axes formulation.
 */
export function convWeightGrad(ctx: GradContext, x: string, dy: string, win: Windows, c: number, m: number, group: number): string {
  const [kh, kw] = win.kernel;
  const k = kh * kw;
  const p = win.output[0] * win.output[1];
  const cg = c / group;
  const mg = m / group;
  // [N, C·K, Ho, Wo], channel-major: row c·K + (i·kw + j) matches the weight's [C, kh, kw] flattening.
  const pointwise = k === 1 && win.strides.every((s) => s === 1) && win.pads.every((p) => p === 0);
  const cols = pointwise
    ? x
    : ctx.op("Conv", [x, ctx.constFloat(onehotPicks(c, k), [c * k, 1, kh, kw])], {
        group: c,
        kernel_shape: [kh, kw],
        strides: win.strides,
        dilations: win.dilations,
        pads: win.pads,
      });
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

/** Depthwise filters [C·K, 1, kh, kw]: filter c·K + o copies kernel offset o of channel c. */
function onehotPicks(c: number, k: number): Float32Array {
  const picks = new Float32Array(c * k * k);
  for (let ch = 0; ch < c; ch++) for (let o = 0; o < k; o++) picks[(ch * k + o) * k + o] = 1;
  return picks;
}
