import { loadModel, measureInterleaved } from "../../optimizer/index.ts";
import type { ZooModel } from "./zoo.ts";
import type { ZooLatency } from "./zooCard.ts";

/** Batch-1, one-thread latency of a model file as the zoo cards record it. */
export async function zooLatency(file: string): Promise<ZooLatency> {
  const nn = await loadModel(file, { intraOpThreads: 1 });
  try {
    const [l] = await measureInterleaved([nn], { warmup: 30, rounds: 15, runsPerBlock: 20 });
    return { medianMs: l.medianMs, p10Ms: l.p10Ms, p90Ms: l.p90Ms, runs: l.runs, method: "batch 1, 1 intra-op thread, 15 blocks × 20 runs after 30 warm-up runs; spread = 10th–90th percentile of block medians" };
  } finally {
    await nn.dispose();
  }
}

/** One-line architecture of a zoo model for its card (the builder's TSDoc has the details). */
export function zooArchitecture(m: ZooModel): string {
  const head = "head: conv3×3(256)-BN-ReLU → global average pool → FC 64 → ReLU → Dropout 0.5 → FC 1";
  switch (m.builder) {
    case "resnet18Style":
      return `ac.models.resnet18Style: conv3×3(24,/2)-BN-ReLU, maxpool 3×3/2; ResNet-18 basic blocks 2×16, 2×32(/2), 2×64(/2), 2×128(/2) with residual Adds; ${head}. BatchNorm kept (not folded).`;
    case "squeezeNetStyle":
      return `ac.models.squeezeNetStyle: conv3×3(40,/2)-BN-ReLU, maxpool; SqueezeNet 1.1 Fire modules (squeeze 1×1, expand 1×1 ‖ 3×3, Concat; every conv conv-BN-ReLU) 2×fire(10,40), pool, 2×fire(20,80), pool, 2×fire(32,128), 2×fire(40,160), pool; ${head}.`;
    case "darkNetStyle":
      return `ac.models.darkNetStyle: conv3×3(16,/2); DarkNet stages of conv-BN-LeakyReLU(0.1) with 2×2 max-pools at 16, 32, 64 (3-1-3), 128 (3-1-3), 256 (3-1-3) channels; ${head}.`;
    case "laneNetVggStyle":
      return "ac.models.laneNetVggStyle: VGG encoder (conv3×3-BN-ReLU stacks, 2×2 max-pools) 1×8, 2×12, 2×24, 2×48, 2×64 channels down to 1/16; decoder ConvTranspose 2×2 ×2 + Concat skip + conv3×3 at 1/8 (32) and 1/4 (12); 1×1 logits conv.";
    case "laneNetDarkNetStyle":
      return "ac.models.laneNetDarkNetStyle: conv3×3(12,/2); DarkNet stages (conv-BN-LeakyReLU(0.1), 2×2 max-pools) 12, 32, 64 (3-1-3), 128 (3-1-3) down to 1/16; decoder ConvTranspose 2×2 ×2 + Concat skip + conv3×3 at 1/8 (32) and 1/4 (12); 1×1 logits conv.";
  }
}
