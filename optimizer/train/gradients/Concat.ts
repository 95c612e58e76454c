import { attrInt } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = concat(x₀, x₁, …, axis): dxᵢ = the slice of dy that xᵢ occupies (one Split of dy). */
export const Concat: GradientRule = {
  op: "Concat",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const rank = ctx.shape(node.inputs[0]).length;
    const raw = attrInt(node, "axis", 0);
    const axis = raw < 0 ? raw + rank : raw;
    const sizes = node.inputs.map((x) => {
      const d = ctx.shape(x)[axis];
      if (typeof d !== "number") ctx.fail(`needs the static size of "${x}" along the concat axis ${axis}`);
      return d as number;
    });
    if (node.inputs.length === 1) return [dy];
    const parts = ctx.emit("Split", [dy, ctx.constInt64(sizes)], { axis }, node.inputs.length);
    return parts.map((p, i) => (ctx.needsGrad(i) ? p : null));
  },
};
