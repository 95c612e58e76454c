import type { GradientRule } from "./GradientRule.ts";

/** y = x: dx = dy. */
export const Identity: GradientRule = {
  op: "Identity",
  grad: (ctx) => [ctx.outputGrad(0)],
};
