import { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { Model } from "../onnx/ir.ts";
import type { LaneNetOptions } from "./BackboneOptions.ts";
import { darkNetStages } from "./darkNetStyle.ts";
import { laneDecoder } from "./laneDecoder.ts";
import { convBnLeaky, scaledWidth } from "./layers.ts";

/**
 * LaneNet binary lane segmentation with a DarkNet-style encoder: stem
 * conv 3×3 (12, /2), DarkNet stages (`darkNetStages`) at 12 (1/2),
 * 32 (1/4), 64 (1/8, 3-1-3) and 128 (1/16, 3-1-3) channels, every conv
 * conv–BN–LeakyReLU(0.1); then the decoder of `laneDecoder` back up to
 * 1/4 (widths 32, 12) with skips from the 1/8 and 1/4 stages. Output as in
 * {@link laneNetVggStyle}: [N, 1, H/4, W/4] logits.
 */
export function laneNetDarkNetStyle(opts: LaneNetOptions = {}): Model {
  const m = opts.widthMultiplier ?? 1;
  const b = new GraphBuilder({ seed: opts.seed ?? 0, name: "laneNetDarkNetStyle" });
  const stem = convBnLeaky(b, b.input(opts.inputName ?? "image", ["N", 3, opts.height ?? 128, opts.width ?? 256]), scaledWidth(12, m), 3, 2);
  const stages = darkNetStages(
    b,
    stem,
    [
      [12, 1],
      [32, 1],
      [64, 2],
      [128, 2],
    ],
    m,
  );
  laneDecoder(b, stages[3], [stages[2], stages[1]], [32, 12], opts);
  return b.build();
}
