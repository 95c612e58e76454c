import type { GradientRule } from "./GradientRule.ts";

/** y = a·b (numpy broadcasting): da = dy·b, db = dy·a, each summed over its broadcast axes. */
export const Mul: GradientRule = {
  op: "Mul",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [a, b] = ctx.node.inputs;
    return [
      ctx.needsGrad(0) ? ctx.sumToShape(ctx.op("Mul", [dy, b]), y, a) : null,
      ctx.needsGrad(1) ? ctx.sumToShape(ctx.op("Mul", [dy, a]), y, b) : null,
    ];
  },
};
