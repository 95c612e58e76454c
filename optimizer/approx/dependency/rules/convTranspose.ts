import { attrInt } from "../../../onnx/attributes.ts";
import { axisNorms, sliceAxis } from "../tensorAxis.ts";
import type { PruningRule } from "../PruningRule.ts";

/**
 * `ConvTranspose`: W is [c_in, c_out/group, k…], so input channels are W axis
 * 0 and output channels W axis 1 (and the bias). Depthwise transposed convs
 * (one input channel per group) couple input c with outputs c·m … c·m+m−1;
 * other grouped ones are left unpruned.
 */
export const convTransposeRule: PruningRule = {
  channels(ctx) {
    const w = ctx.constant(1);
    const x = ctx.input(0);
    if (!w) {
      ctx.freeze(x, "weight is not a constant");
      return;
    }
    const group = attrInt(ctx.node, "group", 1);
    const [cIn, cOutPerGroup] = w.dims;
    const y = ctx.output(0, cOutPerGroup * group, w.dims.length, 1);
    if (ctx.node.inputs[2] && !ctx.constant(2)) ctx.freeze(y, "bias is not a constant");
    if (!x) return;
    if (x.axis !== 1 || x.rank !== w.dims.length || x.size !== cIn) {
      const why = `input "${x.value}" has ${x.size} channels, weight expects ${cIn}`;
      ctx.freeze(x, why);
      ctx.freeze(y, why);
      return;
    }
    if (group === 1) return;
    if (cIn === group) {
      ctx.couple(x, 0, y, 0, group, cOutPerGroup);
      return;
    }
    ctx.freeze(x, `grouped transposed conv (group=${group}) is not pruned`);
    ctx.freeze(y, `grouped transposed conv (group=${group}) is not pruned`);
  },
  weightNorms(ctx, side, _port, p) {
    const w = ctx.constant(1)!;
    const depthwise = attrInt(ctx.node, "group", 1) !== 1;
    if (side === "in") return axisNorms(w, 0, p);
    return depthwise ? null : axisNorms(w, 1, p);
  },
  pruneOut(ctx, _port, keep) {
    if (attrInt(ctx.node, "group", 1) === 1) ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 1, keep));
    const b = ctx.constant(2);
    if (b) ctx.setConstant(2, sliceAxis(b, 0, keep));
  },
  pruneIn(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 0, keep));
    if (attrInt(ctx.node, "group", 1) !== 1) ctx.node.attributes.group = keep.length;
  },
};
