import type { GradientRule } from "./GradientRule.ts";

/** y = a / b (numpy broadcasting): da = dy / b, db = −dy·y / b, each summed over its broadcast axes. */
export const Div: GradientRule = {
  op: "Div",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [a, b] = ctx.node.inputs;
    const dyOverB = ctx.op("Div", [dy, b]);
    return [
      ctx.needsGrad(0) ? ctx.sumToShape(dyOverB, y, a) : null,
      ctx.needsGrad(1) ? ctx.op("Neg", [ctx.sumToShape(ctx.op("Mul", [dyOverB, y]), y, b)]) : null,
    ];
  },
};
