import { attrInts, attrString } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";
import { convWeightGrad } from "./internal/convWeightGrad.ts";
import { channels, groupOf, spatialOutput, type Windows } from "./internal/windows.ts";

/**
 * 2-D transposed convolution y = convT(x, w) + b, w: [C, M/group, kh, kw] (strides, explicit pads,
 * output_padding, dilations, groups). ConvTranspose is the adjoint of Conv, so dx = Conv(dy, w) with the same
 * geometry, and dw is the Conv weight gradient with x and dy swapped (dy is the "input" the windows slide
 * over, x the "output gradient"); db = Σ dy over N, H, W. `output_shape`/auto_pad other than VALID are refused.
 */
export const ConvTranspose: GradientRule = {
  op: "ConvTranspose",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const [x, w, b] = node.inputs;
    const ws = ctx.staticShape(w);
    if (ws.length !== 4) ctx.fail("only 2-D transposed convolutions are supported");
    if (attrInts(node, "output_shape")) ctx.fail("output_shape is not supported; export with explicit pads");
    const autoPad = attrString(node, "auto_pad", "NOTSET");
    if (autoPad !== "NOTSET" && autoPad !== "VALID") ctx.fail(`auto_pad ${autoPad} is not supported; export with explicit pads`);
    const group = groupOf(ctx);
    const c = channels(ctx, x);
    const m = ws[1] * group;
    const xs = ctx.shape(x);
    if (typeof xs[2] !== "number" || typeof xs[3] !== "number") ctx.fail(`needs static spatial dimensions of "${x}"`);
    // The windows of the equivalent Conv slide over y and produce x-sized output.
    const win: Windows = {
      kernel: [ws[2], ws[3]],
      strides: (attrInts(node, "strides") ?? [1, 1]) as [number, number],
      dilations: (attrInts(node, "dilations") ?? [1, 1]) as [number, number],
      pads: (autoPad === "VALID" ? [0, 0, 0, 0] : (attrInts(node, "pads") ?? [0, 0, 0, 0])) as [number, number, number, number],
      input: spatialOutput(ctx),
      output: [xs[2] as number, xs[3] as number],
    };
    const dx = ctx.needsGrad(0)
      ? ctx.op("Conv", [dy, w], {
          group,
          kernel_shape: win.kernel,
          strides: win.strides,
          dilations: win.dilations,
          pads: win.pads,
        })
      : null;
    const dw = ctx.needsGrad(1) ? convWeightGrad(ctx, dy, x, win, m, c, group) : null;
    const db = b && ctx.needsGrad(2) ? ctx.op("ReduceSum", [dy, ctx.constInt64([0, 2, 3])], { keepdims: 0 }) : null;
    return [dx, dw, db];
  },
};
