import { lastLossless, type LevelSet } from "../../optimizer/index.ts";

/** A zoo model's level summary as `npm run levels:zoo` writes it (`models/zoo/<name>.levels.json`). */
export type ZooLevelSummary = LevelSet & { model: string; dir: string };

const fmt = (x: number, digits: number) => x.toFixed(digits);

/**
 * The level tables of the zoo in Markdown, one per model: FLOPs ratio,
 * interleaved latency with its 10th–90th percentile, speed-up over the
 * original, and the primary validation and test metrics. Written next to the
 * summaries (`models/zoo/LEVELS.md`) from them, so the numbers live in one
 * place; the README links to it.
 */
export function zooLevelTables(summaries: readonly ZooLevelSummary[]): string {
  const out = [
    "# Pruning levels of the perception zoo",
    "",
    "Written by `npm run levels:zoo` from `models/zoo/*.levels.json` (do not edit by hand). Latency: batch 1, one",
    "onnxruntime thread, each level measured interleaved with the original (`measureInterleaved`; median, 10th–90th",
    "percentile of the per-round medians). Metrics on the zoo dataset's validation and test splits. `lastLosslessLevel`",
    "is the last level before the first whose validation metric is worse than the original's; the test-split one is",
    "unbiased by the original's best-epoch pick on validation.",
  ];
  for (const s of summaries) {
    const p = s.primary.name;
    const digits = p === "headingL1Deg" ? 3 : 4;
    out.push(
      "",
      `## ${s.model.replace(/\.onnx$/, "")}`,
      "",
      `Recipe: ${s.recipe.steps} steps of ${fmt(s.recipe.fraction * 100, 0)} % of the remaining channels` +
        `${s.recipe.minChannels ? ` (at least ${s.recipe.minChannels} per group)` : ""}` +
        `${s.recipe.roundTo && s.recipe.roundTo > 1 ? `, kept counts rounded to multiples of ${s.recipe.roundTo}` : ""}` +
        `, ranked by ${s.recipe.importance ?? "l1"} importance, ${s.recipe.epochs} epoch(s) of retraining` +
        `${s.recipe.keepBestEpoch ? " (the best validation epoch kept)" : ""} on ` +
        `${s.recipe.trainSamples} frames per level, peak learning rate ${s.recipe.lr}. lastLosslessLevel ${s.lastLosslessLevel} (validation), ${lastLossless(s, "test")} (test); ` +
        `primary metric ${p} (${s.primary.mode === "min" ? "lower" : "higher"} is better).`,
      "",
      `| level | FLOPs | latency ms (p10–p90) | speed-up | ${p} val | ${p} test |`,
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const l of s.levels) {
      out.push(
        `| ${l.level} | ${fmt(l.flopsRatio * 100, 1)} % | ${fmt(l.latency.medianMs, 3)} (${fmt(l.latency.p10Ms, 3)}–${fmt(l.latency.p90Ms, 3)}) | ` +
          `${fmt(l.latency.speedup, 2)}× | ${fmt(l.metrics[p], digits)} | ${l.testMetrics ? fmt(l.testMetrics[p], digits) : "–"} |`,
      );
    }
  }
  return out.join("\n") + "\n";
}
