import { loadModel, measureInterleaved } from "../../optimizer/index.ts";
import type { ZooLatency } from "./zooCard.ts";

/** Batch-1, one-thread latency of a model file as the zoo cards record it. */
export async function zooLatency(file: string): Promise<ZooLatency> {
  const nn = await loadModel(file, { intraOpThreads: 1 });
  try {
    const [l] = await measureInterleaved([nn], { warmup: 30, rounds: 15, runsPerBlock: 20 });
    return {
      medianMs: l.medianMs,
      p10Ms: l.p10Ms,
      p90Ms: l.p90Ms,
      runs: l.runs,
      method: "batch 1, 1 intra-op thread, 15 blocks × 20 runs after 30 warm-up runs; spread = 10th–90th percentile of block medians",
    };
  } finally {
    await nn.dispose();
  }
}
