import type { GradientRule } from "./GradientRule.ts";

/** y = a + b (numpy broadcasting): da, db = dy summed over the broadcast axes. */
export const Add: GradientRule = {
  op: "Add",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [a, b] = ctx.node.inputs;
    return [ctx.needsGrad(0) ? ctx.sumToShape(dy, y, a) : null, ctx.needsGrad(1) ? ctx.sumToShape(dy, y, b) : null];
  },
};
