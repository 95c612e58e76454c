import { tensorToNumbers } from "../../../onnx/tensor.ts";
import type { AnalysisContext, PruningRule } from "../PruningRule.ts";
import { featuresPerChannel } from "./flattenedSize.ts";

/**
 * `Reshape` as PyTorch emits it for `x.view(x.size(0), -1)` /
 * `x.reshape(N, -1)` before a classifier: NC… → [N, C·F], either with a
 * constant target shape ([N, -1], [-1, C·F], [0, -1]) or a dynamic one built
 * by Shape → Gather → Unsqueeze → Concat with a constant −1. Treated as a
 * Flatten; a constant explicit feature count is rewritten when pruned. Other
 * reshapes (channel shuffles, unflattening) are frozen.
 */
export const reshapeRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    ctx.freeze(ctx.input(1), "channels in a shape operand");
    if (!x) return;
    const target = targetShape(ctx);
    if (!target) return ctx.freeze(x, "reshape target is not a recognised flatten pattern");
    if (x.axis !== 1 || x.rank < 2 || target.length !== 2) return ctx.freeze(x, `reshape to rank ${target.length} is not a flatten`);
    const f = featuresPerChannel(ctx, x, ctx.node.outputs[0]);
    if (f === undefined) return ctx.freeze(x, "unknown spatial size (no shapes, no Gemm/MatMul consumer)");
    const [n, k] = target;
    const batchOk = n === 0 || n === -2 || n > 0 || (n === -1 && k !== -1);
    if (!batchOk || (k !== -1 && k !== x.size * f)) return ctx.freeze(x, `reshape to [${target.join(", ")}] is not a flatten`);
    const y = ctx.output(0, x.size * f, 2, 1);
    ctx.couple(x, 0, y, 0, x.size, f);
  },
  pruneOut(ctx, _port, keep) {
    const shape = ctx.constant(1);
    if (!shape) return;
    const v = tensorToNumbers(shape);
    if (v[1] === -1) return;
    v[1] = keep.length;
    ctx.setConstant(1, { ...shape, data: BigInt64Array.from(v, BigInt) });
  },
};

/**
 * The target shape's entries: constants as numbers, −2 for an entry computed
 * from the input's shape at run time (PyTorch's `x.size(0)`); undefined if unknown.
 */
function targetShape(ctx: AnalysisContext): number[] | undefined {
  const t = ctx.constant(1);
  if (t) return tensorToNumbers(t);
  const concat = ctx.producer(ctx.node.inputs[1]);
  if (!concat || concat.opType !== "Concat") return undefined;
  const out: number[] = [];
  for (const name of concat.inputs) {
    const c = ctx.constantValue(name);
    const unsqueeze = ctx.producer(name);
    const inner = unsqueeze?.opType === "Unsqueeze" ? ctx.constantValue(unsqueeze.inputs[0]) : undefined;
    if (c) out.push(...tensorToNumbers(c));
    else if (inner) out.push(...tensorToNumbers(inner));
    else if (unsqueeze?.opType === "Unsqueeze") out.push(-2);
    else return undefined;
  }
  return out;
}
