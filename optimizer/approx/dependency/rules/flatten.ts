import { attrInt } from "../../../onnx/attributes.ts";
import type { PruningRule } from "../PruningRule.ts";
import { featuresPerChannel } from "./flattenedSize.ts";
import { normalizeAxis } from "./ruleUtils.ts";

/**
 * `Flatten` (axis 1) of an NC… tensor: channel c becomes the consecutive
 * features c·F … c·F+F−1 of the [N, C·F] output (F = H·W), so a following
 * `Gemm` loses F input columns per pruned channel.
 */
export const flattenRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    const axis = normalizeAxis(attrInt(ctx.node, "axis", 1), x.rank);
    if (axis !== 1 || x.axis !== 1) return ctx.freeze(x, `flatten at axis ${axis} with channels on axis ${x.axis}`);
    const f = featuresPerChannel(ctx, x, ctx.node.outputs[0]);
    if (f === undefined) return ctx.freeze(x, "unknown spatial size (no shapes, no Gemm/MatMul consumer)");
    const y = ctx.output(0, x.size * f, 2, 1);
    ctx.couple(x, 0, y, 0, x.size, f);
  },
};
