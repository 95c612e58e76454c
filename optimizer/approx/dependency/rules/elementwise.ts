import type { ChannelSpace } from "../ChannelSpace.ts";
import type { PruningRule } from "../PruningRule.ts";
import { sliceAxis } from "../tensorAxis.ts";

/**
 * Broadcasting element-wise ops (`Add`, `Sub`, `Mul`, `Div`, `Sum`, `Max`,
 * `Min`, `Mean`, `Pow`, `PRelu`): every data input with the full channel
 * count is coupled with the output channel for channel (this is what ties
 * residual branches together); constant operands with a per-channel axis
 * (e.g. a [C,1,1] scale or PRelu slope) are sliced along with them.
 *
 * Channels are matched by their position from the right (numpy broadcasting),
 * so a [N,C,H,W] tensor and a [C,1,1] constant line up.
 */
export const elementwiseRule: PruningRule = {
  channels(ctx) {
    const spaces: ChannelSpace[] = [];
    let unknown = false;
    let outRank = 0;
    for (let p = 0; p < ctx.node.inputs.length; p++) {
      if (!ctx.node.inputs[p]) continue;
      const s = ctx.input(p);
      const t = s ? undefined : ctx.constant(p);
      if (s) {
        spaces.push(s);
        outRank = Math.max(outRank, s.rank);
      } else if (t) outRank = Math.max(outRank, t.dims.length);
      else unknown = true;
    }
    if (spaces.length === 0) return;
    const freezeAll = (why: string): void => {
      for (const s of spaces) ctx.freeze(s, why);
    };
    if (unknown) return freezeAll("an operand is computed by an unanalysed op");
    const fromRight = spaces[0].rank - 1 - spaces[0].axis;
    if (spaces.some((s) => s.rank - 1 - s.axis !== fromRight)) return freezeAll("operands' channel axes do not line up");
    const size = Math.max(...spaces.map((s) => s.size));
    for (let p = 0; p < ctx.node.inputs.length; p++) {
      if (ctx.input(p) || !ctx.node.inputs[p]) continue;
      const t = ctx.constant(p)!;
      const a = t.dims.length - 1 - fromRight;
      if (a >= 0 && t.dims[a] !== 1 && t.dims[a] !== size) {
        return freezeAll(`constant "${ctx.node.inputs[p]}" has ${t.dims[a]} entries on the channel axis, not ${size}`);
      }
    }
    const y = ctx.output(0, size, outRank, outRank - 1 - fromRight);
    for (const s of spaces) {
      if (s.size === size) ctx.identity(s, y);
      // A broadcast single channel must stay single.
      else if (s.size === 1) ctx.freeze(s, "broadcast along channels");
      else return freezeAll(`operands have ${s.size} and ${size} channels`);
    }
  },
  pruneOut(ctx, _port, keep) {
    const y = ctx.space("out", 0)!;
    const fromRight = y.rank - 1 - y.axis;
    for (let p = 0; p < ctx.node.inputs.length; p++) {
      const t = ctx.constant(p);
      if (!t) continue;
      const a = t.dims.length - 1 - fromRight;
      if (a >= 0 && t.dims[a] > 1) ctx.setConstant(p, sliceAxis(t, a, keep));
    }
  },
};
