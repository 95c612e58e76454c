import { attrInt } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = softmax(x, axis) (opset ≥ 13, axis default −1): dx = y·(dy − Σ_axis dy·y). */
export const Softmax: GradientRule = {
  op: "Softmax",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const axis = attrInt(ctx.node, "axis", -1);
    const dot = ctx.op("ReduceSum", [ctx.op("Mul", [dy, y]), ctx.constInt64([axis])], { keepdims: 1 });
    return [ctx.op("Mul", [y, ctx.op("Sub", [dy, dot])])];
  },
};
