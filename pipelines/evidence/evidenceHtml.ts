import { dirname, relative } from "node:path";
import type { EvidenceReport } from "./EvidenceReport.ts";
import { evidenceRows, evidenceSummary } from "./evidenceSummary.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `evidence/report.html`: the side-by-side table and each application's details, linking its tuning report. */
export function evidenceHtml(report: EvidenceReport, outDir: string): string {
  const rows = evidenceRows(report)
    .map((r) => `<tr><td class="l">${esc(r.what)}</td><td>${esc(r.ours)}</td><td>${esc(r.paper)}</td></tr>`)
    .join("\n");
  // The details are the summary's bullets, one fact in one place.
  const details = evidenceSummary(report, outDir)
    .split("\n")
    .filter((l) => l.startsWith("## ") || l.startsWith("- "))
    .map((l) =>
      l.startsWith("## ") ? `</ul><h2>${esc(l.slice(3))}</h2><ul>` : `<li>${esc(l.slice(2)).replace(/`([^`]+)`/g, "<code>$1</code>")}</li>`,
    )
    .join("\n");
  const links = report.applications
    .map((a) => `<a href="${esc(relative(outDir, dirname(a.reportJson)))}/report.html">${esc(a.application)} tuning report</a>`)
    .join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ApproxCaliper evidence</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}
td.l{text-align:left}li{margin:4px 0}h2{font-size:17px;border-bottom:1px solid #ddd}
</style></head><body>
<h1>ApproxCaliper evidence: the paper's comparison, reproduced</h1>
<p>${(report.seconds / 60).toFixed(1)} min on ${report.machine.cpus} cores. ${links}</p>
<table><tr><th class="l"></th><th>ours</th><th>paper</th></tr>
${rows}
</table>
<ul>
${details}
</ul>
</body></html>
`;
}
