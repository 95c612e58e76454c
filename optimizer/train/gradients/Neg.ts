import type { GradientRule } from "./GradientRule.ts";

/** y = −x: dx = −dy. */
export const Neg: GradientRule = {
  op: "Neg",
  grad: (ctx) => [ctx.op("Neg", [ctx.outputGrad(0)!])],
};
