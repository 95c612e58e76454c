import type { GradientRule } from "./GradientRule.ts";

/** y = ln(1 + eˣ): dx = dy·σ(x). */
export const Softplus: GradientRule = {
  op: "Softplus",
  grad: (ctx) => [ctx.op("Mul", [ctx.outputGrad(0)!, ctx.op("Sigmoid", [ctx.node.inputs[0]])])],
};
