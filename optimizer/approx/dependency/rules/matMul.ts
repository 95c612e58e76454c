import type { PruningRule } from "../PruningRule.ts";
import { axisNorms, sliceAxis } from "../tensorAxis.ts";

/**
 * `MatMul` by a constant [K, N] matrix (a linear layer without bias, as
 * PyTorch emits for `nn.Linear` on rank > 2 inputs): input features are the
 * last axis and B's axis 0; output features B's axis 1.
 */
export const matMulRule: PruningRule = {
  channels(ctx) {
    const a = ctx.input(0);
    const b = ctx.constant(1);
    ctx.freeze(ctx.input(1), "MatMul of two computed tensors");
    if (!a) return;
    if (!b || b.dims.length !== 2) return ctx.freeze(a, "B is not a constant matrix");
    if (a.axis !== a.rank - 1 || a.size !== b.dims[0]) {
      return ctx.freeze(a, `input channels on axis ${a.axis} of ${a.rank} (${a.size}) do not meet B's ${b.dims[0]} rows`);
    }
    ctx.output(0, b.dims[1], a.rank, a.rank - 1);
  },
  weightNorms(ctx, side, _port, p) {
    return axisNorms(ctx.constant(1)!, side === "in" ? 0 : 1, p);
  },
  pruneIn(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 0, keep));
  },
  pruneOut(ctx, _port, keep) {
    ctx.setConstant(1, sliceAxis(ctx.constant(1)!, 1, keep));
  },
};
