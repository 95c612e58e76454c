import type { GradientRule } from "./GradientRule.ts";

/** Flatten only reshapes: dx = dy reshaped to x's (runtime) shape. */
export const Flatten: GradientRule = {
  op: "Flatten",
  grad(ctx) {
    const x = ctx.node.inputs[0];
    return [ctx.op("Reshape", [ctx.outputGrad(0)!, ctx.op("Shape", [x])])];
  },
};
