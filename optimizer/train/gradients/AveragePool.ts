import { attrInt, attrInts } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";
import { channels, spatialOutput, spreadOverWindows, windowsOf } from "./internal/windows.ts";

/**
 * 2-D average pooling (strides, pads, ceil_mode, count_include_pad): each window spreads dy / count evenly
 * over its elements (a depthwise ConvTranspose with a constant kernel, see `spreadOverWindows`). With
 * count_include_pad = 0 (or ceil-mode windows hanging past the padding) the per-window count is computed
 * statically from the geometry.
 */
export const AveragePool: GradientRule = {
  op: "AveragePool",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const x = node.inputs[0];
    const kernel = attrInts(node, "kernel_shape") as [number, number];
    if (!kernel || kernel.length !== 2) ctx.fail("only 2-D average pooling is supported");
    const win = windowsOf(ctx, x, kernel, spatialOutput(ctx));
    const c = channels(ctx, x);
    const includePad = attrInt(node, "count_include_pad", 0) === 1;
    const [ho, wo] = win.output;
    const [kh, kw] = kernel;
    const [sh, sw] = win.strides;
    const [dh, dw] = win.dilations;
    const [pt, pl, pb, pr] = win.pads;
    const [h, w] = win.input;
    // Elements each window averages: inside the input (or inside input+pads when padding counts).
    const lowH = includePad ? -pt : 0;
    const highH = includePad ? h + pb : h;
    const lowW = includePad ? -pl : 0;
    const highW = includePad ? w + pr : w;
    const inverse = new Float32Array(ho * wo);
    let uniform = true;
    for (let i = 0; i < ho; i++) {
      let rows = 0;
      for (let a = 0; a < kh; a++) {
        const r = i * sh - pt + a * dh;
        if (r >= lowH && r < highH) rows++;
      }
      for (let j = 0; j < wo; j++) {
        let cols = 0;
        for (let b = 0; b < kw; b++) {
          const q = j * sw - pl + b * dw;
          if (q >= lowW && q < highW) cols++;
        }
        inverse[i * wo + j] = 1 / (rows * cols);
        if (inverse[i * wo + j] !== inverse[0]) uniform = false;
      }
    }
    if (uniform) return [spreadOverWindows(ctx, dy, win, c, inverse[0])];
    const scaled = ctx.op("Mul", [dy, ctx.constFloat(inverse, [ho, wo])]);
    return [spreadOverWindows(ctx, scaled, win, c)];
  },
};
