import type { GradientRule } from "./GradientRule.ts";

/** Squeeze only rearranges the shape: dx = dy reshaped to x's (runtime) shape; the shape/axes input gets none. */
export const Squeeze: GradientRule = {
  op: "Squeeze",
  grad(ctx) {
    const x = ctx.node.inputs[0];
    return [ctx.op("Reshape", [ctx.outputGrad(0)!, ctx.op("Shape", [x])])];
  },
};
