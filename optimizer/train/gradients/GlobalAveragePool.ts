import type { GradientRule } from "./GradientRule.ts";

/** y[n,c] = mean over the spatial axes of x[n,c]: dx = dy / (H·W) broadcast over H×W. */
export const GlobalAveragePool: GradientRule = {
  op: "GlobalAveragePool",
  grad(ctx) {
    const x = ctx.node.inputs[0];
    const spatial = ctx.shape(x).slice(2);
    let count = 1;
    for (const d of spatial) {
      if (typeof d !== "number") ctx.fail(`needs static spatial dimensions of "${x}"`);
      count *= d as number;
    }
    const scaled = ctx.op("Mul", [ctx.outputGrad(0)!, ctx.constFloat([1 / count], [])]);
    return [ctx.expandTo(scaled)];
  },
};
