import { attrInt, attrInts } from "../../../onnx/attributes.ts";
import { tensorToNumbers } from "../../../onnx/tensor.ts";
import type { GradContext } from "../GradientRule.ts";

/**
 * Shared core of the ReduceSum/ReduceMean gradients: dy with the reduced axes kept (size 1), to be broadcast
 * back over x (the caller scales it first, then marks it with `expandTo`), and the number of elements each output summed (a static count, or `null` when a reduced dimension is symbolic).
 * Axes come from the `axes` input (opset ≥ 13 for ReduceSum, ≥ 18 for the others) or attribute; they must be
 * constant.
 */
export function broadcastReduced(ctx: GradContext): { grad: string; count: number | null; identity: boolean } {
  const { node } = ctx;
  const x = node.inputs[0];
  const rank = ctx.shape(x).length;
  let axes = attrInts(node, "axes");
  if (node.inputs[1]) {
    const t = ctx.constantValue(node.inputs[1]);
    if (!t) ctx.fail("the axes input must be a constant");
    axes = tensorToNumbers(t!);
  }
  const keepdims = attrInt(node, "keepdims", 1);
  if (!axes || axes.length === 0) {
    if (attrInt(node, "noop_with_empty_axes", 0) === 1) return { grad: ctx.outputGrad(0)!, count: 1, identity: true };
    axes = Array.from({ length: rank }, (_, a) => a);
  }
  const normalized = axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  let dy = ctx.outputGrad(0)!;
  if (keepdims === 0) dy = ctx.op("Unsqueeze", [dy, ctx.constInt64(normalized)]);
  const shape = ctx.shape(x);
  let count: number | null = 1;
  for (const a of normalized) {
    const d = shape[a];
    count = typeof d === "number" && count !== null ? count * d : null;
  }
  return { grad: dy, count, identity: false };
}
