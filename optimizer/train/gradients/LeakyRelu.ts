import { attrFloat } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = x if x > 0 else alpha·x (alpha default 0.01): dx = dy or alpha·dy. */
export const LeakyRelu: GradientRule = {
  op: "LeakyRelu",
  // The mask/slope comes from the full-shape x or y, so a broadcastable dy is fine.
  acceptsBroadcastGrad: () => true,
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const alpha = attrFloat(ctx.node, "alpha", 0.01);
    const positive = ctx.op("Greater", [ctx.node.inputs[0], ctx.constFloat([0], [])]);
    return [ctx.op("Where", [positive, dy, ctx.op("Mul", [dy, ctx.constFloat([alpha], [])])])];
  },
};
