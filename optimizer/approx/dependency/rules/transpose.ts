import { attrInts } from "../../../onnx/attributes.ts";
import type { PruningRule } from "../PruningRule.ts";
import { passThrough } from "./ruleUtils.ts";

/** `Transpose`: channels pass through and move to the axis the permutation puts them on. */
export const transposeRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    const perm = attrInts(ctx.node, "perm") ?? Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i);
    if (perm.length !== x.rank) return ctx.freeze(x, `perm has ${perm.length} axes for a rank-${x.rank} input`);
    passThrough(ctx, x, x.rank, perm.indexOf(x.axis));
  },
};
