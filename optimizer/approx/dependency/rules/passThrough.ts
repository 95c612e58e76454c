import type { PruningRule } from "../PruningRule.ts";
import { passThrough } from "./ruleUtils.ts";

/**
 * Ops that act on each channel independently and keep the channel axis:
 * activations, pooling, `Dropout`, `Identity`, `Clip`, `Cast`... Output 0's
 * channels are input 0's; only input 0 may carry channels (Clip's bounds and
 * Dropout's ratio are scalars). Extra outputs that would expose channels
 * (MaxPool's Indices, Dropout's mask) are tracked as copies too.
 */
export const passThroughRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    for (let p = 1; p < ctx.node.inputs.length; p++) ctx.freeze(ctx.input(p), "channels in a scalar operand");
    if (!x) return;
    passThrough(ctx, x);
    for (let k = 1; k < ctx.node.outputs.length; k++) {
      if (ctx.node.outputs[k]) ctx.identity(x, ctx.output(k, x.size, x.rank, x.axis));
    }
  },
};
