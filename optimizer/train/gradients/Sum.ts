import type { GradientRule } from "./GradientRule.ts";

/** y = Σ xᵢ (numpy broadcasting): dxᵢ = dy summed over xᵢ's broadcast axes. */
export const Sum: GradientRule = {
  op: "Sum",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    return ctx.node.inputs.map((x, i) => (ctx.needsGrad(i) ? ctx.sumToShape(dy, y, x) : null));
  },
};
