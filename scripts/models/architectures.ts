import { GraphBuilder, type Model } from "../../optimizer/index.ts";

/** Input tensor name of every shipped model. */
export const MODEL_INPUT = "image";

/**
 * The CropFollow regression CNN (heading.onnx, distance.onnx): a small
 * ResNet on 3×H×W (H, W divisible by 8) — stem conv3×3(16, /2)–BN–ReLU, then
 * basic residual blocks (conv–BN–ReLU–conv–BN + skip, Add, ReLU) at 24 (/2),
 * 32 (/2) and 32 channels, the strided ones with a 1×1 conv–BN projection on
 * the skip — then Flatten → Gemm(64) → ReLU → Gemm(1). Flatten keeps where in
 * the image the rows are, which a global pool would throw away. The residual
 * Adds and the Flatten → Gemm make real channel dependency groups for
 * structured pruning. The output ([N, 1]) is the Gemm named `output`.
 */
export function rowRegressionNet(opts: { width: number; height: number; seed: number; output: string }): Model {
  const b = new GraphBuilder({ seed: opts.seed, name: opts.output });
  const convBn = (x: string, c: number, stride = 1, k = 3) =>
    b.batchNorm(b.conv(x, { outChannels: c, kernel: k, pad: (k - 1) / 2, stride, bias: false }));
  const block = (x: string, c: number, stride: number) => {
    const y = convBn(b.relu(convBn(x, c, stride)), c);
    const skip = stride === 1 && b.shape(x)[1] === c ? x : convBn(x, c, stride, 1);
    return b.relu(b.add(y, skip));
  };
  let x = b.relu(convBn(b.input(MODEL_INPUT, ["N", 3, opts.height, opts.width]), 16, 2));
  x = block(x, 24, 2);
  x = block(x, 32, 2);
  x = block(x, 32, 1);
  const h = b.relu(b.gemm(b.flatten(x), { outFeatures: 64 }));
  b.output(b.gemm(h, { outFeatures: 1, name: opts.output }));
  return b.build();
}

/**
 * LaneNet-style binary lane segmentation (lanenet.onnx) on 3×H×W (H, W
 * divisible by 4), mask at half the input size: encoder conv(16, /2) @1/2 →
 * conv(24, /2) @1/4, a residual bottleneck block (two convs + Add) at 1/4,
 * decoder ConvTranspose(2×2, ×2 up, 16) + Concat skip from the 1/2 encoder →
 * conv(8), and a 1×1 head. Every conv is conv–BN–ReLU. The output (the 1×1
 * conv named `mask`) is [N, 1, H/2, W/2] **logits** (lane where > 0; sigmoid
 * gives the probability).
 */
export function laneNet(opts: { width: number; height: number; seed: number }): Model {
  const b = new GraphBuilder({ seed: opts.seed, name: "lanenet" });
  const bn = (x: string, c: number, stride = 1) => b.batchNorm(b.conv(x, { outChannels: c, kernel: 3, pad: 1, stride, bias: false }));
  const cbr = (x: string, c: number, stride = 1) => b.relu(bn(x, c, stride));
  const e2 = cbr(b.input(MODEL_INPUT, ["N", 3, opts.height, opts.width]), 16, 2);
  const e3 = cbr(e2, 24, 2);
  const bott = b.relu(b.add(bn(cbr(e3, 24), 24), e3));
  const up = b.relu(b.batchNorm(b.convTranspose(bott, { outChannels: 16, kernel: 2, stride: 2, bias: false })));
  const d2 = cbr(b.concat([up, e2]), 8);
  b.output(b.conv(d2, { outChannels: 1, kernel: 1, name: "mask" }));
  return b.build();
}
