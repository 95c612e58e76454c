import { attrInt } from "../../../onnx/attributes.ts";
import type { ChannelSpace } from "../ChannelSpace.ts";
import type { AnalysisContext, PruningRule } from "../PruningRule.ts";
import { intsFromInputOrAttr, normalizeAxis, passThrough } from "./ruleUtils.ts";

/**
 * Ops that act along some axes and pass the others through: channels pass
 * through unchanged when the channel axis is not among the acted-on axes
 * (`Slice` cropping, `Pad` of spatial borders, `Softmax` over another axis,
 * reductions with keepdims over spatial axes), otherwise they are frozen.
 */
export const axisPassThroughRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    for (let p = 1; p < ctx.node.inputs.length; p++) ctx.freeze(ctx.input(p), "channels in an axes/pads operand");
    if (!x) return;
    const why = touchesChannels(ctx, x);
    if (why) return ctx.freeze(x, why);
    passThrough(ctx, x);
  },
};

function touchesChannels(ctx: AnalysisContext, x: ChannelSpace): string | undefined {
  const op = ctx.node.opType;
  if (op === "Softmax" || op === "LogSoftmax" || op === "Hardmax") {
    const axis = normalizeAxis(attrInt(ctx.node, "axis", ctx.opset >= 13 ? -1 : 1), x.rank);
    if (ctx.opset < 13) return "opset < 13 softmax flattens the channel axis";
    return axis === x.axis ? "normalizes across channels" : undefined;
  }
  if (op === "Slice") {
    const axes = intsFromInputOrAttr(ctx, 3, "axes");
    if (axes === null) return "slice axes are not constant";
    const starts = intsFromInputOrAttr(ctx, 1, "starts");
    const list = axes ?? (starts ? starts.map((_, i) => i) : null);
    if (!list) return "slice starts are not constant";
    return list.some((a) => normalizeAxis(a, x.rank) === x.axis) ? "slices the channel axis" : undefined;
  }
  if (op === "Pad") {
    const pads = intsFromInputOrAttr(ctx, 1, "pads");
    if (!pads) return "pads are not constant";
    const axes = intsFromInputOrAttr(ctx, 3, "axes");
    if (axes === null) return "pad axes are not constant";
    const list = axes ?? pads.slice(0, pads.length / 2).map((_, i) => i);
    const n = list.length;
    for (let i = 0; i < n; i++) {
      if (normalizeAxis(list[i], x.rank) === x.axis && (pads[i] !== 0 || pads[i + n] !== 0)) return "pads the channel axis";
    }
    return undefined;
  }
  // Reductions: keepdims and axes away from the channel axis.
  if (attrInt(ctx.node, "keepdims", 1) !== 1) return "reduction without keepdims";
  const axes = intsFromInputOrAttr(ctx, 1, "axes");
  if (axes === null) return "reduction axes are not constant";
  if (!axes || axes.length === 0) return attrInt(ctx.node, "noop_with_empty_axes", 0) === 1 ? undefined : "reduces all axes";
  return axes.some((a) => normalizeAxis(a, x.rank) === x.axis) ? "reduces over channels" : undefined;
}
