import type { GradContext, GradientRule } from "./GradientRule.ts";

/**
 * Y = A·B (numpy matmul, rank ≥ 2, batch dims broadcast): dA = dY·Bᵀ, dB = Aᵀ·dY, each summed over the
 * batch axes it was broadcast along. 1-D operands are refused.
 */
export const MatMul: GradientRule = {
  op: "MatMul",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const [a, b] = ctx.node.inputs;
    const y = ctx.node.outputs[0];
    const [sa, sb, sy] = [ctx.shape(a), ctx.shape(b), ctx.shape(y)];
    if (sa.length < 2 || sb.length < 2) ctx.fail("1-D MatMul operands are not supported");
    // Each product has y's batch dims and the operand's matrix dims.
    const batch = sy.slice(0, -2);
    return [
      ctx.needsGrad(0) ? ctx.sumToShape(ctx.op("MatMul", [dy, transposeLast(ctx, b)]), [...batch, ...sa.slice(-2)], a) : null,
      ctx.needsGrad(1) ? ctx.sumToShape(ctx.op("MatMul", [transposeLast(ctx, a), dy]), [...batch, ...sb.slice(-2)], b) : null,
    ];
  },
};

function transposeLast(ctx: GradContext, v: string): string {
  const rank = ctx.shape(v).length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return ctx.op("Transpose", [v], { perm });
}
