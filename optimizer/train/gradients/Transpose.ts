import { attrInts } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = transpose(x, perm): dx = transpose(dy, perm⁻¹) (perm defaults to reversing the axes). */
export const Transpose: GradientRule = {
  op: "Transpose",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const perm = attrInts(ctx.node, "perm");
    if (!perm) return [ctx.op("Transpose", [dy])];
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ctx.op("Transpose", [dy], { perm: inverse })];
  },
};
