import { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { Model } from "../onnx/ir.ts";
import type { RegressionNetOptions } from "./BackboneOptions.ts";
import { convBnLeaky, regressionHead, scaledWidth } from "./layers.ts";

/**
 * The DarkNet-19-style feature stages shared by {@link darkNetStyle} and
 * {@link laneNetDarkNetStyle}: conv–BN–LeakyReLU(0.1) stacks separated by
 * 2×2 max-pools, each stage alternating 3×3 convs at width c with 1×1
 * bottlenecks at c/2 (DarkNet's 3-1-3 pattern). `stages` lists each stage's
 * 3×3 width and its number of 3×3 convs; a pool precedes every stage but
 * the first. Returns the output of every stage (finest first).
 */
export function darkNetStages(b: GraphBuilder, x: string, stages: readonly (readonly [number, number])[], m: number): string[] {
  const outs: string[] = [];
  for (const [i, [base, threes]] of stages.entries()) {
    if (i > 0) x = b.maxPool(x, { kernel: 2, stride: 2 });
    const c = scaledWidth(base, m);
    for (let k = 0; k < threes; k++) {
      if (k > 0) x = convBnLeaky(b, x, scaledWidth(base / 2, m), 1);
      x = convBnLeaky(b, x, c);
    }
    outs.push(x);
  }
  return outs;
}

/**
 * DarkNet-style CropFollow regressor: stem conv 3×3 (16, /2), then DarkNet
 * stages (see `darkNetStages`) at 16 (1 conv), 32 (1), 64 (2, with a
 * 1×1 bottleneck between), 128 (2) and 256 (2) channels with a 2×2 max-pool
 * before each, so at 3×120×160 the last stage runs on 3×5 (floor pooling),
 * then the paper's head (`regressionHead`). Every conv is
 * conv–BN–LeakyReLU(0.1). ≈ 110 MFLOPs at 3×120×160.
 */
export function darkNetStyle(opts: RegressionNetOptions = {}): Model {
  const m = opts.widthMultiplier ?? 1;
  const b = new GraphBuilder({ seed: opts.seed ?? 0, name: "darkNetStyle" });
  const stem = convBnLeaky(b, b.input(opts.inputName ?? "image", ["N", 3, opts.height ?? 120, opts.width ?? 160]), scaledWidth(16, m), 3, 2);
  const stages = darkNetStages(
    b,
    stem,
    [
      [16, 1],
      [32, 1],
      [64, 2],
      [128, 2],
      [256, 2],
    ],
    m,
  );
  regressionHead(b, stages[stages.length - 1], opts);
  return b.build();
}
