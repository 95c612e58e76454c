import type { GradientRule } from "./GradientRule.ts";

/** y = ln x: dx = dy / x. */
export const Log: GradientRule = {
  op: "Log",
  grad: (ctx) => [ctx.op("Div", [ctx.outputGrad(0)!, ctx.node.inputs[0]])],
};
