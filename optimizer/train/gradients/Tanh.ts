import type { GradientRule } from "./GradientRule.ts";

/** y = tanh(x): dx = dy·(1−y²), from the forward output. */
export const Tanh: GradientRule = {
  op: "Tanh",
  // The mask/slope comes from the full-shape x or y, so a broadcastable dy is fine.
  acceptsBroadcastGrad: () => true,
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const oneMinusY2 = ctx.op("Sub", [ctx.constFloat([1], []), ctx.op("Mul", [y, y])]);
    return [ctx.op("Mul", [dy, oneMinusY2])];
  },
};
