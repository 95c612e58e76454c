import { attrInt, attrInts } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";
import { channels, col2im, im2col, spatialOutput, windowsOf } from "./internal/windows.ts";

/**
 * 2-D max pooling (strides, pads, dilations, ceil_mode; overlapping windows too): each window's gradient goes
 * to its first maximal element. The windows are gathered with im2col (padding −∞), ArgMax picks the winner,
 * and the one-hot-masked gradients are added back with col2im — adding, not assigning, so overlapping windows
 * that share a maximum both contribute (the MaxUnpool pitfall), and without the slow `Indices` output.
 * Non-overlapping windows (kernel = stride) use a reshape/transpose instead of the col2im ConvTranspose.
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
    const k = kh * kw;
    const [ho, wo] = win.output;
    const cols = ctx.op("Reshape", [im2col(ctx, x, win, -Infinity), ctx.constInt64([0, c, k, ho, wo])]);
    const winner = ctx.op("ArgMax", [cols], { axis: 2, keepdims: 1 });
    const onehot = ctx.op("Equal", [winner, ctx.constInt64(Array.from({ length: k }, (_, i) => i), [k, 1, 1])]);
    const spread = ctx.op("Where", [onehot, ctx.op("Unsqueeze", [dy, ctx.constInt64([2])]), ctx.constFloat([0], [])]);
    const nonOverlapping =
      win.strides[0] === kh && win.strides[1] === kw && win.dilations[0] === 1 && win.dilations[1] === 1;
    if (!nonOverlapping) {
      return [col2im(ctx, ctx.op("Reshape", [spread, ctx.constInt64([0, c * k, ho, wo])]), win, c, true)];
    }
    // [N, C, kh, kw, Ho, Wo] → [N, C, Ho, kh, Wo, kw] → [N, C, Ho·kh, Wo·kw], then back into the unpadded frame.
    const six = ctx.op("Reshape", [spread, ctx.constInt64([0, c, kh, kw, ho, wo])]);
    const tiled = ctx.op("Reshape", [
      ctx.op("Transpose", [six], { perm: [0, 1, 4, 2, 5, 3] }),
      ctx.constInt64([0, c, ho * kh, wo * kw]),
    ]);
    const [pt, pl] = win.pads;
    const [h, w] = win.input;
    // Rows/columns of the tiled block outside the input (padding, ceil-mode overhang) are dropped; input rows
    // no window covered get zeros.
    const cropEndH = Math.max(0, ho * kh - pt - h);
    const cropEndW = Math.max(0, wo * kw - pl - w);
    let g = tiled;
    if (pt || pl || cropEndH || cropEndW) {
      g = ctx.op("Slice", [
        g,
        ctx.constInt64([pt, pl]),
        ctx.constInt64([ho * kh - cropEndH, wo * kw - cropEndW]),
        ctx.constInt64([2, 3]),
      ]);
    }
    const padEndH = h - (ho * kh - pt - cropEndH);
    const padEndW = w - (wo * kw - pl - cropEndW);
    if (padEndH || padEndW) g = ctx.op("Pad", [g, ctx.constInt64([0, 0, 0, 0, 0, 0, padEndH, padEndW])]);
    return [g];
  },
};
