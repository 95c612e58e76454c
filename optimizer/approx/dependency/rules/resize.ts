import { tensorToNumbers } from "../../../onnx/tensor.ts";
import type { PruningRule } from "../PruningRule.ts";
import { passThrough } from "./ruleUtils.ts";

/**
 * `Resize` / `Upsample`: channels pass through when the channel scale is 1;
 * an explicit constant `sizes` input has its channel entry rewritten.
 */
export const resizeRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    const scalesPort = ctx.node.opType === "Upsample" ? 1 : 2;
    const scalesName = ctx.node.inputs[scalesPort];
    if (scalesName) {
      const scales = ctx.constant(scalesPort);
      if (!scales && !ctx.node.inputs[3]) return ctx.freeze(x, "scales are not constant");
      if (scales && scales.data.length === x.rank && Number(scales.data[x.axis]) !== 1) {
        return ctx.freeze(x, "resizes along channels");
      }
    }
    const sizesName = ctx.node.opType === "Resize" ? ctx.node.inputs[3] : "";
    if (sizesName) {
      const sizes = ctx.constant(3);
      if (!sizes) return ctx.freeze(x, "sizes are not constant");
      if (sizes.data.length === x.rank && Number(sizes.data[x.axis]) !== x.size) return ctx.freeze(x, "resizes along channels");
    }
    passThrough(ctx, x);
  },
  pruneOut(ctx, _port, keep) {
    const sizes = ctx.node.opType === "Resize" && ctx.node.inputs[3] ? ctx.constant(3) : undefined;
    const x = ctx.space("in", 0)!;
    if (!sizes || sizes.data.length !== x.rank) return;
    const v = tensorToNumbers(sizes);
    v[x.axis] = keep.length;
    ctx.setConstant(3, { ...sizes, data: BigInt64Array.from(v, BigInt) });
  },
};
