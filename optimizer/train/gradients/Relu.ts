import type { GradientRule } from "./GradientRule.ts";

/** y = max(x, 0): dx = dy where x > 0, else 0. */
export const Relu: GradientRule = {
  op: "Relu",
  // The mask/slope comes from the full-shape x or y, so a broadcastable dy is fine.
  acceptsBroadcastGrad: () => true,
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const positive = ctx.op("Greater", [ctx.node.inputs[0], ctx.constFloat([0], [])]);
    return [ctx.op("Where", [positive, dy, ctx.constFloat([0], [])])];
  },
};
