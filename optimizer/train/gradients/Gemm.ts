import { attrFloat, attrInt } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/**
 * Y = alpha·op(A)·op(B) + beta·C, op = optional transpose: dA and dB are one Gemm each (the transposes
 * folded into transA/transB), dC = beta·dY summed over C's broadcast axes.
 */
export const Gemm: GradientRule = {
  op: "Gemm",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const [a, b, c] = node.inputs;
    const alpha = attrFloat(node, "alpha", 1);
    const beta = attrFloat(node, "beta", 1);
    const transA = attrInt(node, "transA", 0) === 1;
    const transB = attrInt(node, "transB", 0) === 1;
    const gemm = (p: string, q: string, tp: boolean, tq: boolean) => ctx.op("Gemm", [p, q], { alpha, transA: tp ? 1 : 0, transB: tq ? 1 : 0 });
    let da: string | null = null;
    if (ctx.needsGrad(0)) {
      // op(A) = A: dA = dY·op(B)ᵀ. op(A) = Aᵀ: dA = op(B)·dYᵀ.
      da = transA ? gemm(b, dy, transB, true) : gemm(dy, b, false, !transB);
    }
    let db: string | null = null;
    if (ctx.needsGrad(1)) {
      // op(B) = B: dB = op(A)ᵀ·dY. op(B) = Bᵀ: dB = dYᵀ·op(A).
      db = transB ? gemm(dy, a, true, transA) : gemm(a, dy, !transA, false);
    }
    let dc: string | null = null;
    if (c && ctx.needsGrad(2)) {
      const scaled = beta === 1 ? dy : ctx.op("Mul", [dy, ctx.constFloat([beta], [])]);
      dc = ctx.sumToShape(scaled, node.outputs[0], c);
    }
    return [da, db, dc];
  },
};
