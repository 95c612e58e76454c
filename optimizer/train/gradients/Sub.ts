import type { GradientRule } from "./GradientRule.ts";

/** y = a − b (numpy broadcasting): da = dy, db = −dy, each summed over its broadcast axes. */
export const Sub: GradientRule = {
  op: "Sub",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [a, b] = ctx.node.inputs;
    return [ctx.needsGrad(0) ? ctx.sumToShape(dy, y, a) : null, ctx.needsGrad(1) ? ctx.op("Neg", [ctx.sumToShape(dy, y, b)]) : null];
  },
};
