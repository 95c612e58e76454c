import type { PruningRule } from "../PruningRule.ts";
import { intsFromInputOrAttr, normalizeAxis, passThrough } from "./ruleUtils.ts";

/**
 * `Squeeze` / `Unsqueeze` of axes other than the channel axis (e.g.
 * [N,C,1,1] → [N,C]): channels pass through, possibly to a new axis index.
 */
export const squeezeRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    ctx.freeze(ctx.input(1), "channels in an axes operand");
    if (!x) return;
    const axes = intsFromInputOrAttr(ctx, 1, "axes");
    if (!axes || axes.length === 0) return ctx.freeze(x, "axes are not constant or not given");
    if (ctx.node.opType === "Squeeze") {
      const list = axes.map((a) => normalizeAxis(a, x.rank));
      if (list.includes(x.axis)) return ctx.freeze(x, "squeezes the channel axis");
      passThrough(ctx, x, x.rank - list.length, x.axis - list.filter((a) => a < x.axis).length);
      return;
    }
    const outRank = x.rank + axes.length;
    const inserted = new Set(axes.map((a) => normalizeAxis(a, outRank)));
    // The output axes not inserted take the input axes in order.
    let seen = -1;
    for (let o = 0; o < outRank; o++) {
      if (inserted.has(o)) continue;
      if (++seen === x.axis) return void passThrough(ctx, x, outRank, o);
    }
  },
};
