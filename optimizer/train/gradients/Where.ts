import type { GradientRule } from "./GradientRule.ts";

/** y = cond ? a : b (broadcasting): da = dy where cond, db = dy elsewhere, summed over broadcast axes. */
export const Where: GradientRule = {
  op: "Where",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const [cond, a, b] = ctx.node.inputs;
    const y = ctx.node.outputs[0];
    const zero = ctx.constFloat([0], []);
    return [
      null,
      ctx.needsGrad(1) ? ctx.sumToShape(ctx.op("Where", [cond, dy, zero]), y, a) : null,
      ctx.needsGrad(2) ? ctx.sumToShape(ctx.op("Where", [cond, zero, dy]), y, b) : null,
    ];
  },
};
