import { attrInt } from "../../onnx/attributes.ts";
import { DataType } from "../../onnx/ir.ts";
import type { GradientRule } from "./GradientRule.ts";

/** (y₀, y₁, …) = split(x, axis): dx = concat(dy₀, dy₁, …) with zeros for outputs the loss ignores. */
export const Split: GradientRule = {
  op: "Split",
  grad(ctx) {
    const { node } = ctx;
    const rank = ctx.shape(node.inputs[0]).length;
    const raw = attrInt(node, "axis", 0);
    const axis = raw < 0 ? raw + rank : raw;
    const parts = node.outputs.map((y, i) => {
      const g = ctx.outputGrad(i);
      if (g) return g;
      const zero = { name: "", dataType: DataType.FLOAT, dims: [1], data: new Float32Array(1) };
      return ctx.op("ConstantOfShape", [ctx.op("Shape", [y])], { value: zero });
    });
    return [parts.length === 1 ? parts[0] : ctx.op("Concat", parts, { axis })];
  },
};
