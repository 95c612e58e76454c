import { attrInt } from "../../../onnx/attributes.ts";
import { tensorToNumbers } from "../../../onnx/tensor.ts";
import type { PruningRule } from "../PruningRule.ts";
import { normalizeAxis } from "./ruleUtils.ts";

/**
 * `Shape`: harmless when every reader only picks non-channel entries
 * (PyTorch's `x.size(0)` is Shape → Gather(0)); otherwise the channel count
 * would leak into computed values, so the input is frozen.
 */
export const shapeRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    const start = normalizeAxis(attrInt(ctx.node, "start", 0), x.rank);
    const end = ctx.node.attributes.end === undefined ? x.rank : normalizeAxis(attrInt(ctx.node, "end", x.rank), x.rank);
    if (x.axis < start || x.axis >= end) return;
    const channelEntry = x.axis - start;
    for (const c of ctx.consumers(ctx.node.outputs[0])) {
      const idx = c.opType === "Gather" && c.inputs[0] === ctx.node.outputs[0] ? ctx.constantValue(c.inputs[1]) : undefined;
      const picks = idx ? tensorToNumbers(idx).map((i) => normalizeAxis(i, end - start)) : undefined;
      if (!picks || picks.includes(channelEntry)) return ctx.freeze(x, `its shape is read by node "${c.name}" (${c.opType})`);
    }
  },
};
