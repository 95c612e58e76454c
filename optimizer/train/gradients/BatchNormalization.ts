import { attrFloat, attrInt } from "../../onnx/attributes.ts";
import type { GradientRule } from "./GradientRule.ts";

/**
 * BatchNormalization in inference form (fixed running mean/var — "frozen BN" fine-tuning):
 * y = (x − mean)·scale/√(var + ε) + B is affine per channel, so dx = dy·scale/√(var+ε),
 * dscale = Σ dy·(x − mean)/√(var+ε), dB = Σ dy over N and the spatial axes. Training-mode BN (batch
 * statistics) is rewritten into primitives by `toTrainingGraph` and never reaches this rule.
 */
export const BatchNormalization: GradientRule = {
  op: "BatchNormalization",
  grad(ctx) {
    const { node } = ctx;
    if (attrInt(node, "training_mode", 0) === 1) ctx.fail("training-mode BatchNormalization must go through toTrainingGraph");
    if (ctx.needsGrad(3) || ctx.needsGrad(4)) ctx.fail("the running mean/var inputs are not differentiable");
    const dy = ctx.outputGrad(0)!;
    const [x, scale, , mean, variance] = node.inputs;
    const rank = ctx.shape(x).length;
    const perChannel = ctx.constInt64([-1, ...new Array<number>(rank - 2).fill(1)]);
    const eps = attrFloat(node, "epsilon", 1e-5);
    const invStd = ctx.op("Reciprocal", [ctx.op("Sqrt", [ctx.op("Add", [variance, ctx.constFloat([eps], [])])])]);
    const reduceAxes = ctx.constInt64([0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
    let dx: string | null = null;
    if (ctx.needsGrad(0)) dx = ctx.op("Mul", [dy, ctx.op("Reshape", [ctx.op("Mul", [scale, invStd]), perChannel])]);
    let dscale: string | null = null;
    if (ctx.needsGrad(1)) {
      const xhat = ctx.op("Mul", [ctx.op("Sub", [x, ctx.op("Reshape", [mean, perChannel])]), ctx.op("Reshape", [invStd, perChannel])]);
      dscale = ctx.op("ReduceSum", [ctx.op("Mul", [dy, xhat]), reduceAxes], { keepdims: 0 });
    }
    const dbias = ctx.needsGrad(2) ? ctx.op("ReduceSum", [dy, reduceAxes], { keepdims: 0 }) : null;
    return [dx, dscale, dbias];
  },
};
