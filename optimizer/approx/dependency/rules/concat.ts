import { attrInt } from "../../../onnx/attributes.ts";
import type { ChannelSpace } from "../ChannelSpace.ts";
import type { PruningRule } from "../PruningRule.ts";
import { normalizeAxis } from "./ruleUtils.ts";

/**
 * `Concat`: along the channel axis, input k's channels sit at an offset in
 * the output (so each input keeps its own group); along any other axis all
 * inputs share the output's channels one to one.
 */
export const concatRule: PruningRule = {
  channels(ctx) {
    const spaces: ChannelSpace[] = [];
    let other = false;
    for (let p = 0; p < ctx.node.inputs.length; p++) {
      const s = ctx.input(p);
      if (s) spaces.push(s);
      else other = true;
    }
    if (spaces.length === 0) return;
    const freezeAll = (why: string): void => {
      for (const s of spaces) ctx.freeze(s, why);
    };
    if (other) return freezeAll("concatenated with a constant or unanalysed tensor");
    const { rank, axis } = spaces[0];
    if (spaces.some((s) => s.rank !== rank || s.axis !== axis)) return freezeAll("inputs have different channel axes");
    const along = normalizeAxis(attrInt(ctx.node, "axis", 1), rank);
    if (along === axis) {
      const y = ctx.output(
        0,
        spaces.reduce((n, s) => n + s.size, 0),
        rank,
        axis,
      );
      let offset = 0;
      for (const s of spaces) {
        ctx.couple(s, 0, y, offset, s.size);
        offset += s.size;
      }
      return;
    }
    if (spaces.some((s) => s.size !== spaces[0].size)) return freezeAll("inputs have different channel counts");
    const y = ctx.output(0, spaces[0].size, rank, axis);
    for (const s of spaces) ctx.identity(s, y);
  },
};
