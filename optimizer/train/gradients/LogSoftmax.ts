import { attrInt } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = log softmax(x, axis) (opset ≥ 13, axis default −1): dx = dy − eʸ·Σ_axis dy. */
export const LogSoftmax: GradientRule = {
  op: "LogSoftmax",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const axis = attrInt(ctx.node, "axis", -1);
    const total = ctx.op("ReduceSum", [dy, ctx.constInt64([axis])], { keepdims: 1 });
    return [ctx.op("Sub", [dy, ctx.op("Mul", [ctx.op("Exp", [y]), total])])];
  },
};
