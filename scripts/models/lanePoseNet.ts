import { GraphBuilder, type Model } from "../../optimizer/index.ts";
import { MODEL_INPUT } from "./architectures.ts";

/**
 * The GEM lane-pose regressor (lanepose.onnx): a small ResNet on 3×H×W (H, W
 * divisible by 16) — stem conv3×3(16, /2)–BN–ReLU, then basic residual
 * blocks (conv–BN–ReLU–conv–BN + skip, Add, ReLU) at 24, 32 and 32 channels,
 * each halving the resolution with a 1×1 conv–BN projection on the skip —
 * then Flatten → Gemm(64) → ReLU → Gemm(2). One block more than the
 * CropFollow regressor's: its frames are twice as wide, and the flattened
 * 1/16 map keeps where in the image the lane lines are. The output [N, 2]
 * (`lanepose_out`, from the Gemm named `lanepose`) is (cross-track m, heading error rad) 8 m ahead.
 */
export function lanePoseNet(opts: { width: number; height: number; seed: number }): Model {
  const b = new GraphBuilder({ seed: opts.seed, name: "lanepose" });
  const convBn = (x: string, c: number, stride = 1, k = 3) =>
    b.batchNorm(b.conv(x, { outChannels: c, kernel: k, pad: (k - 1) / 2, stride, bias: false }));
  const block = (x: string, c: number) => b.relu(b.add(convBn(b.relu(convBn(x, c, 2)), c), convBn(x, c, 2, 1)));
  let x = b.relu(convBn(b.input(MODEL_INPUT, ["N", 3, opts.height, opts.width]), 16, 2));
  x = block(x, 24);
  x = block(x, 32);
  x = block(x, 32);
  const h = b.relu(b.gemm(b.flatten(x), { outFeatures: 64 }));
  b.output(b.gemm(h, { outFeatures: 2, name: "lanepose" }));
  return b.build();
}
