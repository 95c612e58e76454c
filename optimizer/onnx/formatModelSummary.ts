import type { ModelStats } from "./modelStats.ts";

/**
 * A plain-text table of a model's layers (name, op, output shape, params,
 * FLOPs, other FLOPs) followed by the totals, for terminals and logs.
 * Data-movement nodes with no params and no work are listed too, so the
 * table reads as the graph does.
 */
export function formatModelSummary(stats: ModelStats, title = "model"): string {
  const rows: string[][] = [["layer", "op", "output shape", "params", "FLOPs", "other FLOPs"]];
  for (const l of stats.layers) {
    rows.push([
      l.name,
      l.opType,
      l.outputShapes.map((s) => `[${s.join("×")}]`).join(" "),
      grouped(l.params),
      grouped(l.flops),
      grouped(l.otherFlops),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = [false, false, false, true, true, true];
  const line = (r: string[]) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [title, line(rows[0]), rule, ...rows.slice(1).map(line), rule];
  out.push(`total params: ${grouped(stats.totalParams)}`);
  out.push(
    `total FLOPs (2×MACs of Conv/ConvTranspose/Gemm/MatMul): ${grouped(stats.totalFlops)} (${(stats.totalFlops / 1e6).toFixed(2)} MFLOPs)`,
  );
  out.push(`other FLOPs (elementwise, pooling, bias, BN, resize): ${grouped(stats.otherFlops)}`);
  return out.join("\n");
}

function grouped(n: number): string {
  return n.toLocaleString("en-US");
}
