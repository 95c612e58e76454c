import { attrInt } from "../../../onnx/attributes.ts";
import type { ChannelSpace } from "../ChannelSpace.ts";
import type { AnalysisContext } from "../PruningRule.ts";

/**
 * The number of features each channel of `x` becomes when flattened into
 * `out` (H·W for NCHW), from the known shapes of `x` or `out`, or else from
 * the input width of a `Gemm`/`MatMul` weight reading `out` (the common
 * `Flatten → Gemm` classifier head). `undefined` when nothing tells.
 */
export function featuresPerChannel(ctx: AnalysisContext, x: ChannelSpace, out: string): number | undefined {
  const xs = ctx.shape(x.value);
  if (xs && xs.length === x.rank) {
    const rest = xs.slice(x.axis + 1);
    if (rest.every((d) => typeof d === "number")) return (rest as number[]).reduce((a, b) => a * b, 1);
  }
  const os = ctx.shape(out);
  if (os && os.length === 2 && typeof os[1] === "number" && os[1] % x.size === 0) return os[1] / x.size;
  for (const c of ctx.consumers(out)) {
    if (c.inputs[0] !== out) continue;
    const w = ctx.constantValue(c.inputs[1]);
    if (!w || w.dims.length !== 2) continue;
    let k: number | undefined;
    if (c.opType === "Gemm" && attrInt(c, "transA", 0) === 0) k = attrInt(c, "transB", 0) ? w.dims[1] : w.dims[0];
    if (c.opType === "MatMul") k = w.dims[0];
    if (k !== undefined && k % x.size === 0) return k / x.size;
  }
  return undefined;
}
