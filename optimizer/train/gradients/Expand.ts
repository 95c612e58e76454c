import type { GradientRule } from "./GradientRule.ts";

/** y = x broadcast to a shape: dx = dy summed over the broadcast axes. */
export const Expand: GradientRule = {
  op: "Expand",
  grad: (ctx) => [ctx.sumToShape(ctx.outputGrad(0)!, ctx.node.outputs[0], ctx.node.inputs[0])],
};
