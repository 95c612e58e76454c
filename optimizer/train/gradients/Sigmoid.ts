import type { GradientRule } from "./GradientRule.ts";

/** y = 1/(1+e^−x): dx = dy·y·(1−y), from the forward output. */
export const Sigmoid: GradientRule = {
  op: "Sigmoid",
  // The mask/slope comes from the full-shape x or y, so a broadcastable dy is fine.
  acceptsBroadcastGrad: () => true,
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const oneMinusY = ctx.op("Sub", [ctx.constFloat([1], []), y]);
    return [ctx.op("Mul", [ctx.op("Mul", [dy, y]), oneMinusY])];
  },
};
