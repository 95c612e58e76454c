import { attrInt } from "../../../onnx/attributes.ts";
import { axisNorms, sliceAxis } from "../tensorAxis.ts";
import type { PruningRule } from "../PruningRule.ts";

/**
 * `Conv`: output channels are its filters (W axis 0, bias), input channels W
 * axis 1. A plain conv (group = 1) decouples input from output channels; a
 * depthwise conv (one input channel per group, channel multiplier m) couples
 * input channel c with output channels c·m … c·m+m−1, and pruning updates
 * `group`. Other grouped convs are left unpruned.
 */
export const convRule: PruningRule = {
  channels(ctx) {
    const w = ctx.constant(1);
    const x = ctx.input(0);
    if (!w) {
      ctx.freeze(x, "weight is not a constant");
      return;
    }
    const group = attrInt(ctx.node, "group", 1);
    const [cOut, cInPerGroup] = w.dims;
    const y = ctx.output(0, cOut, w.dims.length, 1);
    if (ctx.node.inputs[2] && !ctx.constant(2)) ctx.freeze(y, "bias is not a constant");
    if (!x) return;
    if (x.axis !== 1 || x.rank !== w.dims.length || x.size !== cInPerGroup * group) {
      const why = `input "${x.value}" has ${x.size} channels on axis ${x.axis}, weight expects ${cInPerGroup * group} on axis 1`;
      ctx.freeze(x, why);
      ctx.freeze(y, why);
      return;
    }
    if (group === 1) return;
    if (cInPerGroup === 1 && cOut % group === 0) {
      ctx.couple(x, 0, y, 0, group, cOut / group);
      return;
    }
    ctx.freeze(x, `grouped conv (group=${group}, ${cInPerGroup} input channels per group) is not pruned`);
    ctx.freeze(y, `grouped conv (group=${group}) is not pruned`);
  },
  weightNorms(ctx, side, _port, p) {
    const w = ctx.constant(1)!;
    if (side === "out") return axisNorms(w, 0, p);
    return attrInt(ctx.node, "group", 1) === 1 ? axisNorms(w, 1, p) : null;
  },
  pruneOut(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 0, keep));
    const b = ctx.constant(2);
    if (b) ctx.setConstant(2, sliceAxis(b, 0, keep));
  },
  pruneIn(ctx, _port, keep) {
    if (attrInt(ctx.node, "group", 1) === 1) ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 1, keep));
    else ctx.node.attributes.group = keep.length;
  },
};
