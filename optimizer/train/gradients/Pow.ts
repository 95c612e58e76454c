import { DataType } from "../../onnx/ir.ts";
import type { GradientRule } from "./GradientRule.ts";

/** y = xᵖ (broadcasting): dx = dy·p·x^(p−1); dp = dy·y·ln x (x > 0), each summed over broadcast axes. */
export const Pow: GradientRule = {
  op: "Pow",
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [x, p] = ctx.node.inputs;
    let dx: string | null = null;
    if (ctx.needsGrad(0)) {
      // The exponent may be an integer tensor; work in float32 (Cast, not CastLike, to stay valid below opset 15).
      const pf = ctx.op("Cast", [p], { to: DataType.FLOAT });
      const slope = ctx.op("Mul", [pf, ctx.op("Pow", [x, ctx.op("Sub", [pf, ctx.constFloat([1], [])])])]);
      dx = ctx.sumToShape(ctx.op("Mul", [dy, slope]), y, x);
    }
    let dp: string | null = null;
    if (ctx.needsGrad(1)) dp = ctx.sumToShape(ctx.op("Mul", [ctx.op("Mul", [dy, y]), ctx.op("Log", [x])]), y, p);
    return [dx, dp];
  },
};
