import { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { Model } from "../onnx/ir.ts";
import type { RegressionNetOptions } from "./BackboneOptions.ts";
import { convBnRelu, regressionHead, scaledWidth } from "./layers.ts";

/**
 * SqueezeNet-1.1-style CropFollow regressor: conv 3×3 (40, /2),
 * max-pool 3×3 /2, Fire modules (squeeze 1×1, then expand 1×1 and expand
 * 3×3, Concat) with SqueezeNet 1.1's layout — fire(10, 40) ×2,
 * pool, fire(20, 80) ×2, pool, fire(32, 128) ×2, fire(40, 160) ×2 (squeeze,
 * expand widths per branch, about ⅝ of the original) — one more max-pool (so the
 * head's 3×3 conv runs on a 4×5 map at 3×120×160), then the paper's head
 * (`regressionHead`). Pools are 3×3 /2 with ceil mode, as in
 * SqueezeNet. Unlike SqueezeNet 1.1 every conv is conv–BN–ReLU: without
 * BatchNorm the net trained far slower in the few epochs a CPU affords.
 * The Concats make structured pruning split channel groups.
 */
export function squeezeNetStyle(opts: RegressionNetOptions = {}): Model {
  const m = opts.widthMultiplier ?? 1;
  const b = new GraphBuilder({ seed: opts.seed ?? 0, name: "squeezeNetStyle" });
  const fire = (x: string, squeeze: number, expand: number): string => {
    const s = convBnRelu(b, x, scaledWidth(squeeze, m), 1);
    const e1 = convBnRelu(b, s, scaledWidth(expand, m), 1);
    const e3 = convBnRelu(b, s, scaledWidth(expand, m), 3);
    return b.concat([e1, e3]);
  };
  const pool = (x: string) => b.maxPool(x, { kernel: 3, stride: 2, ceilMode: true });
  let x = convBnRelu(b, b.input(opts.inputName ?? "image", ["N", 3, opts.height ?? 120, opts.width ?? 160]), scaledWidth(40, m), 3, 2);
  x = pool(x);
  x = fire(fire(x, 10, 40), 10, 40);
  x = pool(x);
  x = fire(fire(x, 20, 80), 20, 80);
  x = pool(x);
  x = fire(fire(x, 32, 128), 32, 128);
  x = fire(fire(x, 40, 160), 40, 160);
  regressionHead(b, pool(x), opts);
  return b.build();
}
