import type { GradientRule } from "./GradientRule.ts";
import { broadcastReduced } from "./internal/reduceGrad.ts";

/** y = Σ over axes of x²: dx = 2·x·dy, with dy broadcast back over the reduced axes by the Mul itself. */
export const ReduceSumSquare: GradientRule = {
  op: "ReduceSumSquare",
  grad(ctx) {
    const { grad } = broadcastReduced(ctx);
    const x = ctx.node.inputs[0];
    return [ctx.op("Mul", [x, ctx.op("Mul", [grad, ctx.constFloat([2], [])])])];
  },
};
