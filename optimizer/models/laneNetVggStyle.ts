import { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { Model } from "../onnx/ir.ts";
import type { LaneNetOptions } from "./BackboneOptions.ts";
import { laneDecoder } from "./laneDecoder.ts";
import { convBnRelu, scaledWidth } from "./layers.ts";

/**
 * LaneNet binary lane segmentation with a VGG-style encoder: plain
 * conv 3×3–BN–ReLU stacks separated by 2×2 max-pools — 1 conv at 8 channels
 * (full resolution), then 2 convs each at 12 (1/2), 24 (1/4), 48 (1/8) and
 * 64 (1/16) — and the U-Net-style decoder of `laneDecoder` back up to
 * 1/4 (widths 32, 12) with skips from the 1/8 and 1/4 stages. Output
 * `<outputName>_out` is [N, 1, H/4, W/4] logits: at the default 3×128×256
 * input that is the 64×32 mask grid the shipped 128×64 LaneNet already
 * feeds the GEM's lane post-processing (ground projection and the lane
 * fit need no finer grid); lane lines stay visible at 1/4 because the
 * training targets are max-pooled, not resized.
 */
export function laneNetVggStyle(opts: LaneNetOptions = {}): Model {
  const m = opts.widthMultiplier ?? 1;
  const b = new GraphBuilder({ seed: opts.seed ?? 0, name: "laneNetVggStyle" });
  let x = b.input(opts.inputName ?? "image", ["N", 3, opts.height ?? 128, opts.width ?? 256]);
  const stages: string[] = [];
  for (const [i, [base, convs]] of (
    [
      [8, 1],
      [12, 2],
      [24, 2],
      [48, 2],
      [64, 2],
    ] as const
  ).entries()) {
    if (i > 0) x = b.maxPool(x, { kernel: 2, stride: 2 });
    for (let k = 0; k < convs; k++) x = convBnRelu(b, x, scaledWidth(base, m));
    stages.push(x);
  }
  laneDecoder(b, stages[4], [stages[3], stages[2]], [32, 12], opts);
  return b.build();
}
