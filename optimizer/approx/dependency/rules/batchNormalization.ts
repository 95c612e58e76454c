import { axisNorms, sliceAxis } from "../tensorAxis.ts";
import type { PruningRule } from "../PruningRule.ts";

/**
 * `BatchNormalization` / `InstanceNormalization`: per-channel parameters
 * (inputs 1… : scale, bias, and for BatchNorm mean and variance) follow the
 * channels of X one to one. Importance: |scale|.
 */
export const normalizationRule: PruningRule = {
  channels(ctx) {
    const x = ctx.input(0);
    if (!x) return;
    for (let p = 1; p < ctx.node.inputs.length; p++) {
      const t = ctx.constant(p);
      if (!t || t.dims.length !== 1 || t.dims[0] !== x.size) {
        ctx.freeze(x, `parameter "${ctx.node.inputs[p]}" is not a constant vector of ${x.size} channels`);
        return;
      }
    }
    if (x.axis !== 1) {
      ctx.freeze(x, `channels on axis ${x.axis}, not 1`);
      return;
    }
    const y = ctx.output(0, x.size, x.rank, x.axis);
    ctx.identity(x, y);
    // Training-mode outputs (running statistics) would need their own edits.
    if (ctx.node.outputs.slice(1).some((o) => o)) ctx.freeze(y, "training-mode outputs");
  },
  weightNorms(ctx, side, _port, p) {
    return side === "out" ? axisNorms(ctx.constant(1)!, 0, p) : null;
  },
  pruneOut(ctx, _port, keep) {
    for (let p = 1; p < ctx.node.inputs.length; p++) ctx.setConstant(p, sliceAxis(ctx.constant(p)!, 0, keep));
  },
};
