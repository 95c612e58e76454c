import { measureInterleaved, type InterleavedOptions } from "../runtime/measureInterleaved.ts";
import type { NnModel } from "../runtime/NnModel.ts";
import type { LevelRecord } from "./LevelSet.ts";

/**
 * A level's latency as a {@link LevelRecord} keeps it: batch-1 latency of
 * `level` measured interleaved with `original`, and the speed-up over it
 * (median with 10th/90th percentiles of the per-round ratios).
 */
export async function measureLevelLatency(
  original: NnModel,
  level: NnModel,
  opts: InterleavedOptions = { warmup: 10, rounds: 10, runsPerBlock: 10 },
): Promise<LevelRecord["latency"]> {
  const [, lat] = await measureInterleaved([original, level], opts);
  return {
    medianMs: lat.medianMs,
    p10Ms: lat.p10Ms,
    p90Ms: lat.p90Ms,
    speedup: lat.speedup.median,
    speedupP10: lat.speedup.p10,
    speedupP90: lat.speedup.p90,
  };
}
