import type { GradientRule } from "./GradientRule.ts";

/** y = |x|: dx = dy·sign(x) (0 at x = 0). */
export const Abs: GradientRule = {
  op: "Abs",
  grad: (ctx) => [ctx.op("Mul", [ctx.outputGrad(0)!, ctx.op("Sign", [ctx.node.inputs[0]])])],
};
