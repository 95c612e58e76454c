import type { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { LaneNetOptions } from "./BackboneOptions.ts";
import { convBnRelu, scaledWidth } from "./layers.ts";

/**
 * The LaneNet binary-segmentation decoder shared by both encoders: from the
 * deepest encoder output, per skip (deepest first) a ConvTranspose 2×2 ×2 up
 * → BN → ReLU to `widths[i]`, Concat with the skip, conv 3×3–BN–ReLU to
 * `widths[i]`; then the 1×1 logits conv named `outputName` (one channel,
 * lane where > 0). The mask has the resolution of the last skip.
 */
export function laneDecoder(b: GraphBuilder, deepest: string, skips: readonly string[], widths: readonly number[], o: LaneNetOptions): void {
  const m = o.widthMultiplier ?? 1;
  let x = deepest;
  for (const [i, skip] of skips.entries()) {
    const c = scaledWidth(widths[i], m);
    const up = b.relu(b.batchNorm(b.convTranspose(x, { outChannels: c, kernel: 2, stride: 2, bias: false })));
    x = convBnRelu(b, b.concat([up, skip]), c);
  }
  b.output(b.conv(x, { outChannels: 1, kernel: 1, name: o.outputName ?? "mask" }));
}
