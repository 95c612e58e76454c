import type { GradientRule } from "./GradientRule.ts";

/**
 * y = min(max(x, lo), hi) (bounds as inputs 1 and 2, opset ≥ 11; either may be omitted): dx = dy strictly
 * inside the bounds, else 0 (PyTorch's hardtanh/ReLU6 convention). The bounds get no gradient.
 */
export const Clip: GradientRule = {
  op: "Clip",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const [x, lo, hi] = ctx.node.inputs;
    if (ctx.needsGrad(1) || ctx.needsGrad(2)) ctx.fail("gradients with respect to the clip bounds are not supported");
    let inside: string | null = null;
    if (lo) inside = ctx.op("Greater", [x, lo]);
    if (hi) {
      const below = ctx.op("Less", [x, hi]);
      inside = inside ? ctx.op("And", [inside, below]) : below;
    }
    if (!inside) return [dy];
    return [ctx.op("Where", [inside, dy, ctx.constFloat([0], [])])];
  },
};
