import { attrInts } from "../../../onnx/attributes.ts";
import { tensorToNumbers } from "../../../onnx/tensor.ts";
import type { ChannelSpace } from "../ChannelSpace.ts";
import type { AnalysisContext, RuleView } from "../PruningRule.ts";

/** `axis` made non-negative for a tensor of rank `rank`. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/**
 * An integer list given either as input `port` (opset ≥ 13 style: axes,
 * split, pads) or as attribute `attr` (older opsets). `undefined` if absent;
 * `null` if given by a non-constant input (unknown at analysis time).
 */
export function intsFromInputOrAttr(ctx: RuleView, port: number, attr: string): number[] | undefined | null {
  const name = ctx.node.inputs[port];
  if (name) {
    const t = ctx.constant(port);
    return t ? tensorToNumbers(t) : null;
  }
  return attrInts(ctx.node, attr);
}

/** Declares output 0 as a channel-for-channel copy of input 0's space (same rank and axis). */
export function passThrough(ctx: AnalysisContext, x: ChannelSpace, rank = x.rank, axis = x.axis): ChannelSpace {
  const y = ctx.output(0, x.size, rank, axis);
  ctx.identity(x, y);
  return y;
}
