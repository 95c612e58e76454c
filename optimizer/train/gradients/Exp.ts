import type { GradientRule } from "./GradientRule.ts";

/** y = eˣ: dx = dy·y. */
export const Exp: GradientRule = {
  op: "Exp",
  grad: (ctx) => [ctx.op("Mul", [ctx.outputGrad(0)!, ctx.node.outputs[0]])],
};
