import { check } from "../../common/index.ts";
import { cloneModel } from "../onnx/cloneModel.ts";
import { foldBatchNorm } from "../onnx/foldBatchNorm.ts";
import { inferShapes } from "../onnx/inferShapes.ts";
import { bypassConstantAliases } from "./constantAliases.ts";
import type { Model, ValueInfo } from "../onnx/ir.ts";
import { convWidths, factorizableReason, factorizeConv, fullRank, kernelSvd, saves } from "./lowrank/factorizeConv.ts";
import type { Svd } from "./lowrank/svd.ts";

/** Options of {@link factorizeModel}. */
export interface FactorizeOptions {
  /** Factorize even where it does not save MACs (e.g. to check full-rank exactness). @default false */
  keepUnprofitable?: boolean;
  /**
   * Kernel SVDs by weight, reused across calls on the same model (filled as
   * computed; a truncated SVD is reused for any rank it covers).
   */
  svdCache?: Map<string, Svd>;
  /**
   * Called before each conv is considered and once at the end (`done === total`), so callers can show
   * progress: the SVDs of large kernels take seconds each (ResNet-18: ~1.5 min in all).
   */
  onProgress?: (done: number, total: number, node: string) => void;
}

/** The outcome of {@link factorizeModel}. */
export interface FactorizeResult {
  /** The factorized copy (BatchNorm folded). */
  model: Model;
  /** Convs replaced, with their ranks. */
  factorized: { node: string; rank: number; fullRank: number }[];
  /** Convs left alone and why. */
  skipped: { node: string; reason: string }[];
}

/**
 * Low-rank factorization of every eligible K×K conv (Tai et al. 2016):
 * BatchNorms are folded into their convs first, then each conv keeps
 * rank r = max(1, round(full·(1 − fraction))) of its (c_in·kh)×(kw·c_out)
 * kernel matrix and becomes a kh×1 conv followed by a 1×kw conv. Layers where
 * that would not save MACs are skipped (see `saves`), as are grouped, 1×1,
 * non-2-D and auto-padded convs.
 *
 * @param fraction fraction of each layer's rank removed, in [0, 1).
 * @throws InputError if `fraction` is outside [0, 1).
 */
export function factorizeModel(model: Model, fraction: number, opts: FactorizeOptions = {}): FactorizeResult {
  check(Number.isFinite(fraction) && fraction >= 0 && fraction < 1, "fraction", () => `must be in [0, 1), got ${fraction}`);
  const out = cloneModel(model);
  // Exporter-deduplicated constants reached through Identity nodes become plain shared initializers.
  bypassConstantAliases(out.graph);
  foldBatchNorm(out);
  const g = out.graph;
  let shapes: Map<string, ValueInfo> = new Map();
  try {
    shapes = inferShapes(out);
  } catch {
    // Without shapes the stride-aware saving test falls back to Tai et al.'s rule.
  }
  const factorized: FactorizeResult["factorized"] = [];
  const skipped: FactorizeResult["skipped"] = [];
  const convs = g.nodes.filter((n) => n.opType === "Conv");
  for (const [i, node] of convs.entries()) {
    opts.onProgress?.(i, convs.length, node.name);
    const reason = factorizableReason(g, node);
    if (reason) {
      skipped.push({ node: node.name, reason });
      continue;
    }
    const w = g.initializers.get(node.inputs[1])!;
    const full = fullRank(w.dims);
    const rank = Math.max(1, Math.round(full * (1 - fraction)));
    if (!opts.keepUnprofitable && !saves(w.dims, rank, convWidths(shapes, node))) {
      skipped.push({ node: node.name, reason: `rank ${rank} of ${full} would not save MACs` });
      continue;
    }
    const key = `${w.name}@${w.dims.join("x")}`;
    let d = opts.svdCache?.get(key);
    if (!d || d.k < Math.min(rank, full)) {
      d = kernelSvd(w.data as Float32Array, w.dims, opts.keepUnprofitable ? undefined : rank);
      opts.svdCache?.set(key, d);
    }
    factorizeConv(g, node, rank, d);
    factorized.push({ node: node.name, rank, fullRank: full });
  }
  opts.onProgress?.(convs.length, convs.length, "");
  return { model: out, factorized, skipped };
}
