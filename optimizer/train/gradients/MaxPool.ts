import { attrInt, attrInts } from "../../onnx/attributes.ts";
import { DataType } from "../../onnx/ir.ts";
import type { GradContext, GradientRule } from "./GradientRule.ts";
import { channels, col2im, im2col, spatialOutput, windowsOf } from "./internal/windows.ts";

/**
 * 2-D max pooling (strides, pads, dilations, ceil_mode; overlapping windows too): each window's gradient goes
 * to its first maximal element. The windows are gathered with im2col (padding −∞), ArgMax picks the winner,
 * and the one-hot-masked gradients are added back with col2im — adding, not assigning, so overlapping windows
 * that share a maximum both contribute (the MaxUnpool pitfall), and without the slow `Indices` output.
 * Windows that tile the input (kernel = stride, no padding) take a cheaper mask path (see `tiledMaxPoolGrad`).
 */
export const MaxPool: GradientRule = {
  op: "MaxPool",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    if (node.outputs.length > 1 && ctx.outputGrad(1)) ctx.fail("the Indices output is not differentiable");
    if (attrInt(node, "storage_order", 0) !== 0) ctx.fail("storage_order 1 is not supported");
    const x = node.inputs[0];
    const kernel = attrInts(node, "kernel_shape") as [number, number];
    if (!kernel || kernel.length !== 2) ctx.fail("only 2-D max pooling is supported");
    const win = windowsOf(ctx, x, kernel, spatialOutput(ctx));
    const c = channels(ctx, x);
    const [kh, kw] = kernel;
    const [ho, wo] = win.output;
    const [h, w] = win.input;
    const tiled =
      win.strides[0] === kh && win.strides[1] === kw && win.dilations[0] === 1 && win.dilations[1] === 1 &&
      win.pads.every((p) => p === 0) && ho * kh <= h && wo * kw <= w;
    if (tiled) return [tiledMaxPoolGrad(ctx, x, dy, [kh, kw], [ho, wo], [h, w])];
    const k = kh * kw;
    const cols = ctx.op("Reshape", [im2col(ctx, x, win, -Infinity), ctx.constInt64([0, c, k, ho, wo])]);
    const winner = ctx.op("ArgMax", [cols], { axis: 2, keepdims: 1 });
    const onehot = ctx.op("Equal", [winner, ctx.constInt64(Array.from({ length: k }, (_, i) => i), [k, 1, 1])]);
    const spread = ctx.op("Where", [onehot, ctx.op("Unsqueeze", [dy, ctx.constInt64([2])]), ctx.constFloat([0], [])]);
    return [col2im(ctx, ctx.op("Reshape", [spread, ctx.constInt64([0, c * k, ho, wo])]), win, c, true)];
  },
};

/**
 * Windows that tile the input (kernel = stride, no padding): upsample y and dy by nearest-neighbour Resize,
 * mark where x equals its window's maximum, and share dy equally among tied maxima (a valid subgradient; ties
 * are exact-equality events, e.g. all-zero windows after a ReLU, whose gradient the ReLU then drops anyway).
 * Five elementwise passes, no transposes (the 6-D Transpose of a col2im was the slowest node of a step).
 */
function tiledMaxPoolGrad(
  ctx: GradContext,
  x: string,
  dy: string,
  kernel: [number, number],
  output: [number, number],
  input: [number, number],
): string {
  const [kh, kw] = kernel;
  const [ho, wo] = output;
  const [h, w] = input;
  const covered = ho * kh !== h || wo * kw !== w;
  const xs = covered
    ? ctx.op("Slice", [x, ctx.constInt64([0, 0]), ctx.constInt64([ho * kh, wo * kw]), ctx.constInt64([2, 3])])
    : x;
  const scales = ctx.constFloat([1, 1, kh, kw], [4]);
  const upsample = (v: string) =>
    ctx.op("Resize", [v, "", scales], { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" });
  const isMax = ctx.op("Cast", [ctx.op("Equal", [xs, upsample(ctx.node.outputs[0])])], { to: DataType.FLOAT });
  // Σ over each window of the mask = number of tied maxima (≥ 1).
  const ties = ctx.op("AveragePool", [isMax], { kernel_shape: kernel, strides: kernel });
  const share = ctx.op("Div", [dy, ctx.op("Mul", [ties, ctx.constFloat([kh * kw], [])])]);
  let g = ctx.op("Mul", [isMax, upsample(share)]);
  if (covered) g = ctx.op("Pad", [g, ctx.constInt64([0, 0, 0, 0, 0, 0, h - ho * kh, w - wo * kw])]);
  return g;
}
