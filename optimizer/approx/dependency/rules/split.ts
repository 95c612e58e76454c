import { attrInt } from "../../../onnx/attributes.ts";
import { int64Tensor } from "../../../onnx/tensor.ts";
import type { PruningRule } from "../PruningRule.ts";
import { intsFromInputOrAttr, normalizeAxis } from "./ruleUtils.ts";

/**
 * `Split`: along the channel axis, output k takes the input's channels
 * [offset_k, offset_k + size_k) (each part its own group, so equal parts
 * stay equal under a uniform ratio); along another axis every output shares
 * the input's channels. Pruning rewrites the split sizes.
 */
export const splitRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    const along = normalizeAxis(attrInt(ctx.node, "axis", 0), x.rank);
    const outs = ctx.node.outputs.length;
    if (along !== x.axis) {
      for (let k = 0; k < outs; k++) if (ctx.node.outputs[k]) ctx.identity(x, ctx.output(k, x.size, x.rank, x.axis));
      return;
    }
    const sizes = intsFromInputOrAttr(ctx, 1, "split");
    if (sizes === null) return ctx.freeze(x, "split sizes are not constant");
    let parts: number[];
    if (sizes) parts = sizes;
    else if (x.size % outs === 0) parts = new Array<number>(outs).fill(x.size / outs);
    else return ctx.freeze(x, `uneven implicit split of ${x.size} channels`);
    if (parts.length !== outs || parts.reduce((a, b) => a + b, 0) !== x.size || parts.some((p) => p <= 0)) {
      return ctx.freeze(x, `split sizes ${parts.join(",")} do not cover ${x.size} channels`);
    }
    let offset = 0;
    for (let k = 0; k < outs; k++) {
      const name = ctx.node.outputs[k];
      if (!name) return ctx.freeze(x, "omitted split output");
      const y = ctx.output(k, parts[k], x.rank, x.axis);
      ctx.couple(x, offset, y, 0, parts[k]);
      offset += parts[k];
    }
  },
  pruneOut(ctx) {
    const x = ctx.space("in", 0)!;
    if (normalizeAxis(attrInt(ctx.node, "axis", 0), x.rank) !== x.axis) return;
    const sizes = ctx.node.outputs.map((_, k) => ctx.newSize("out", k)!);
    if (ctx.opset < 13) {
      ctx.node.attributes.split = sizes;
      return;
    }
    delete ctx.node.attributes.num_outputs;
    ctx.setConstant(1, int64Tensor("", [sizes.length], sizes));
  },
};
