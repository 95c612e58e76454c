import type { GradientRule } from "./GradientRule.ts";
import { broadcastReduced } from "./internal/reduceGrad.ts";

/** y = mean over axes of x: dx = dy / n broadcast back over the reduced axes (n: elements per mean; scaled before broadcasting). */
export const ReduceMean: GradientRule = {
  op: "ReduceMean",
  grad(ctx) {
    const { grad, count, identity } = broadcastReduced(ctx);
    if (identity) return [grad];
    if (count !== null) return [ctx.expandTo(count === 1 ? grad : ctx.op("Mul", [grad, ctx.constFloat([1 / count], [])]))];
    // A symbolic reduced dimension (e.g. the batch): n = |x| / |y| at run time.
    const ratio = ctx.op("Div", [ctx.op("Size", [ctx.node.inputs[0]]), ctx.op("Size", [ctx.node.outputs[0]])]);
    return [ctx.expandTo(ctx.op("Div", [grad, ctx.op("Cast", [ratio], { to: 1 })]))];
  },
};
