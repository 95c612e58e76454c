import type { GradientRule } from "./GradientRule.ts";

/** y = xᵖ (broadcasting): dx = dy·p·x^(p−1); dp = dy·y·ln x (x > 0), each summed over broadcast axes. */
export const Pow: GradientRule = {
  op: "Pow",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [x, p] = ctx.node.inputs;
    let dx: string | null = null;
    if (ctx.needsGrad(0)) {
      const pMinus1 = ctx.op("Sub", [p, ctx.op("CastLike", [ctx.constFloat([1], []), p])]);
      const slope = ctx.op("Mul", [ctx.op("CastLike", [p, x]), ctx.op("Pow", [x, pMinus1])]);
      dx = ctx.sumToShape(ctx.op("Mul", [dy, slope]), y, x);
    }
    let dp: string | null = null;
    if (ctx.needsGrad(1)) dp = ctx.sumToShape(ctx.op("Mul", [ctx.op("Mul", [dy, y]), ctx.op("Log", [x])]), y, p);
    return [dx, dp];
  },
};
