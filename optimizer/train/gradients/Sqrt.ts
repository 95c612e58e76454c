import type { GradientRule } from "./GradientRule.ts";

/** y = √x: dx = dy·0.5 / y. */
export const Sqrt: GradientRule = {
  op: "Sqrt",
  grad(ctx) {
    const half = ctx.op("Mul", [ctx.outputGrad(0)!, ctx.constFloat([0.5], [])]);
    return [ctx.op("Div", [half, ctx.node.outputs[0]])];
  },
};
