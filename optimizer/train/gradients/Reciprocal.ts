import type { GradientRule } from "./GradientRule.ts";

/** y = 1/x: dx = −dy·y². */
export const Reciprocal: GradientRule = {
  op: "Reciprocal",
  grad(ctx) {
    const y = ctx.node.outputs[0];
    return [ctx.op("Neg", [ctx.op("Mul", [ctx.outputGrad(0)!, ctx.op("Mul", [y, y])])])];
  },
};
