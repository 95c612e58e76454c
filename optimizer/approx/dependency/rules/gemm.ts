import { attrInt } from "../../../onnx/attributes.ts";
import type { PruningRule, RuleView } from "../PruningRule.ts";
import { axisNorms, sliceAxis } from "../tensorAxis.ts";

/**
 * `Gemm` with a constant B (a fully connected layer): input features are B's
 * K axis, output features B's N axis and the bias C's last axis.
 */
export const gemmRule: PruningRule = {
  channels(ctx) {
    const a = ctx.input(0);
    const b = ctx.constant(1);
    ctx.freeze(ctx.input(1), "B is not a constant");
    if (!b || b.dims.length !== 2) return ctx.freeze(a, "B is not a constant matrix");
    const y = ctx.output(0, b.dims[attrInt(ctx.node, "transB", 0) ? 0 : 1], 2, 1);
    const c = ctx.node.inputs[2] ? ctx.constant(2) : undefined;
    if (ctx.node.inputs[2] && (!c || !(c.data.length === 1 || c.dims[c.dims.length - 1] === y.size))) {
      ctx.freeze(y, "bias C is not a constant per-feature vector");
    }
    ctx.freeze(ctx.input(2), "bias C is computed");
    if (!a) return;
    if (attrInt(ctx.node, "transA", 0) !== 0) return ctx.freeze(a, "transA = 1");
    if (a.rank !== 2 || a.axis !== 1 || a.size !== kDim(ctx).size) {
      ctx.freeze(a, `input has ${a.size} features, B expects ${kDim(ctx).size}`);
    }
  },
  weightNorms(ctx, side, _port, p) {
    return axisNorms(ctx.constant(1)!, side === "in" ? kDim(ctx).axis : 1 - kDim(ctx).axis, p);
  },
  pruneIn(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, kDim(ctx).axis, keep));
  },
  pruneOut(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 1 - kDim(ctx).axis, keep));
    const c = ctx.node.inputs[2] ? ctx.constant(2) : undefined;
    if (c && c.data.length > 1) ctx.setConstant(2, sliceAxis(c, c.dims.length - 1, keep));
  },
};

function kDim(ctx: RuleView): { axis: number; size: number } {
  const b = ctx.constant(1)!;
  const axis = attrInt(ctx.node, "transB", 0) ? 1 : 0;
  return { axis, size: b.dims[axis] };
}
