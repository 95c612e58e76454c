import { GraphBuilder } from "../onnx/GraphBuilder.ts";
import type { Model } from "../onnx/ir.ts";
import type { RegressionNetOptions } from "./BackboneOptions.ts";
import { convBn, convBnRelu, regressionHead, scaledWidth } from "./layers.ts";

/**
 * ResNet-18-style CropFollow regressor: stem conv 3×3 (24, /2)–BN–ReLU and
 * max-pool 3×3 /2, then ResNet-18's four stages of two basic blocks
 * (conv–BN–ReLU–conv–BN + skip, Add, ReLU) at 16, 32, 64 and 128 channels,
 * stages 2–4 starting with a stride-2 block whose skip is a 1×1 conv–BN
 * projection; then the paper's head (`regressionHead`). The stem is
 * 3×3 rather than ResNet's 7×7 and the widths are ¼ of ResNet-18's so that
 * at 3×120×160 the net is ≈ 110 MFLOPs (compute-bound on one core) and small
 * enough to train on a CPU. Residual Adds give structured pruning real
 * coupled channel groups.
 *
 * @example
 * const model = ac.models.resnet18Style({ outputName: "heading", seed: 11 });
 */
export function resnet18Style(opts: RegressionNetOptions = {}): Model {
  const m = opts.widthMultiplier ?? 1;
  const b = new GraphBuilder({ seed: opts.seed ?? 0, name: "resnet18Style" });
  const block = (x: string, c: number, stride: number): string => {
    const y = convBn(b, convBnRelu(b, x, c, 3, stride), c);
    const skip = stride === 1 && b.shape(x)[1] === c ? x : convBn(b, x, c, 1, stride);
    return b.relu(b.add(y, skip));
  };
  let x = convBnRelu(b, b.input(opts.inputName ?? "image", ["N", 3, opts.height ?? 120, opts.width ?? 160]), scaledWidth(24, m), 3, 2);
  x = b.maxPool(x, { kernel: 3, stride: 2, pad: 1 });
  for (const [i, base] of [16, 32, 64, 128].entries()) {
    const c = scaledWidth(base, m);
    x = block(block(x, c, i === 0 ? 1 : 2), c, 1);
  }
  regressionHead(b, x, opts);
  return b.build();
}
