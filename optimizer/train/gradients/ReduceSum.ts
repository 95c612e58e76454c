import type { GradientRule } from "./GradientRule.ts";
import { broadcastReduced } from "./internal/reduceGrad.ts";

/** y = Σ over axes of x: dx = dy broadcast back over the reduced axes. */
export const ReduceSum: GradientRule = {
  op: "ReduceSum",
  grad(ctx) {
    const { grad, identity } = broadcastReduced(ctx);
    return [identity ? grad : ctx.expandTo(grad)];
  },
};
