import type { GradientRule } from "./GradientRule.ts";
import { convWeightGrad } from "./internal/convWeightGrad.ts";
import { channels, groupOf, spatialOutput, windowsOf } from "./internal/windows.ts";

/**
 * 2-D convolution y = conv(x, w) + b (strides, pads/auto_pad, dilations, groups incl. depthwise):
 * dx = ConvTranspose(dy, w) with the same geometry (output_padding restores rows the strides skipped),
 * dw = im2col(x)ᵀ·dy (see `convWeightGrad`), db = Σ dy over N, H, W.
 */
export const Conv: GradientRule = {
  op: "Conv",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const [x, w, b] = node.inputs;
    const ws = ctx.staticShape(w);
    if (ws.length !== 4) ctx.fail("only 2-D convolutions are supported");
    const kernel: [number, number] = [ws[2], ws[3]];
    const win = windowsOf(ctx, x, kernel, spatialOutput(ctx));
    const group = groupOf(ctx);
    const c = channels(ctx, x);
    const m = ws[0];
    let dx: string | null = null;
    if (ctx.needsGrad(0)) {
      const outputPadding = [0, 1].map(
        (a) => win.input[a] + win.pads[a] + win.pads[a + 2] - (win.output[a] - 1) * win.strides[a] - (kernel[a] - 1) * win.dilations[a] - 1,
      );
      dx = ctx.op("ConvTranspose", [dy, w], {
        group,
        kernel_shape: kernel,
        strides: win.strides,
        dilations: win.dilations,
        pads: win.pads,
        output_padding: outputPadding,
      });
    }
    const dw = ctx.needsGrad(1) ? convWeightGrad(ctx, x, dy, win, c, m, group) : null;
    const db = b && ctx.needsGrad(2) ? ctx.op("ReduceSum", [dy, ctx.constInt64([0, 2, 3])], { keepdims: 0 }) : null;
    return [dx, dw, db];
  },
};
