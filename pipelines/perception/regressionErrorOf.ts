import type { RegressionError } from "./PerceptionConfig.ts";

/** Per-output error terms as arrays (an injection's or a `networks` entry's): entry k is output k's. */
export interface RegressionErrorArrays {
  bias: readonly number[];
  std: readonly number[];
  /** Tail weight 1/ν per output: 0 = Gaussian, else Student-t with ν = 1/tail. */
  tail?: readonly number[];
  gain?: readonly number[];
  stdSlope?: readonly number[];
  center?: readonly number[];
  correlationTime?: readonly number[];
  runOffset?: readonly number[];
  /** Equally likely alternatives per run (see the perception's `RegressionErrorSchema` `perRun`). */
  perRun?: readonly Omit<RegressionErrorArrays, "perRun">[];
}

/**
 * Output `k`'s {@link RegressionError} from per-output arrays; missing
 * entries (or no arrays at all) take the terms' defaults: no error.
 */
export function regressionErrorOf(arrays: RegressionErrorArrays | undefined, k: number): RegressionError {
  const error = termsOf(arrays, k);
  return arrays?.perRun ? { ...error, perRun: arrays.perRun.map((a) => termsOf(a, k)) } : error;
}

function termsOf(arrays: Omit<RegressionErrorArrays, "perRun"> | undefined, k: number): RegressionError {
  const tail = arrays?.tail?.[k] ?? 0;
  const nu = tail > 0 ? 1 / tail : undefined;
  return {
    bias: arrays?.bias[k] ?? 0,
    std: Math.max(0, arrays?.std[k] ?? 0),
    ...(nu === undefined ? {} : { nu }),
    gain: arrays?.gain?.[k] ?? 0,
    stdSlope: arrays?.stdSlope?.[k] ?? 0,
    center: arrays?.center?.[k] ?? 0,
    correlationTime: arrays?.correlationTime?.[k] ?? 0,
    runOffset: arrays?.runOffset?.[k] ?? 0,
  };
}
