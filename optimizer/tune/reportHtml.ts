import { formatSeeds } from "../../common/index.ts";
import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import { toUnit } from "../calibrate/CalibrationAxis.ts";
import type { Constraints } from "../calibrate/Constraints.ts";
import { boundarySvg } from "../calibrate/boundarySvg.ts";
import type { Comparison } from "./compare.ts";
import type { CandidateRecord, CombinationRecord, OptimizeReport } from "./report.ts";

const PALETTE = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const GREEN = "#2e7d32";
const RED = "#c62828";
const GREY = "#9e9e9e";

/**
 * The self-contained HTML report of one `optimize` run (inline CSS and SVG,
 * no external assets): headline numbers, per-metric candidate scatter (metric
 * vs latency) against the calibrated boundary, the calibration picture after
 * the search's feedback, the tuning progress, and the tables.
 */
export function reportHtml(report: OptimizeReport, constraints: Constraints, pointLink?: (hash: string) => string | undefined): string {
  const t = report.totals;
  const chosen = report.chosen;
  const headline = chosen
    ? `Chosen: ${chosen.candidates.join(", ")}${knobText(chosen.knobs)} — ${chosen.scoreText}`
    : "No combination met the QoS goal within the budget.";
  const cmp = (label: string, c: Comparison | undefined) =>
    c
      ? `<tr><th>${esc(label)}</th><td>${c.speedup.toFixed(2)}×</td><td>${Object.entries(c.speedupByNn)
          .map(([nn, s]) => `${esc(nn)} ${s.toFixed(2)}×`)
          .join(
            ", ",
          )}</td><td>${c.utilizationReduction.toFixed(2)}×</td><td>${c.sizeReduction.toFixed(2)}×</td><td>${c.flopsReduction.toFixed(2)}×</td></tr>`
      : `<tr><th>${esc(label)}</th><td colspan="5">—</td></tr>`;
  const axesOfNns = report.axes.filter((a) => report.candidates.some((c) => a.name in c.metrics));
  const scatters = axesOfNns.map((axis) => scatterSvg(report, constraints, axis)).join("\n");
  const verification = chosen?.verification
    ? `verified on fresh seeds [${formatSeeds(report.verifySeeds)}]: ${chosen.verification.pass ? "pass" : "fail"}`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ApproxCaliper optimization report</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}
td.l,th.l{text-align:left}.pass{color:${GREEN}}.fail{color:${RED}}
.figs{display:flex;flex-wrap:wrap;gap:12px}
.big{font-size:15px}
</style></head><body>
<h1>ApproxCaliper optimization report</h1>
<p class="big">${esc(headline)}${verification ? ` — ${esc(verification)}` : ""}</p>
<p class="big">QoS runs: <b>${t.qosRuns}</b> guided (+${t.verificationRuns} verification) vs <b>${t.exhaustiveQosRuns}</b> for an exhaustive search;
${t.skipped} of ${t.combinations} combinations decided without a QoS run (${(100 * (1 - t.qosRunFraction)).toFixed(1)}% skipped).
${t.candidates} candidates; objective ${esc(report.objective)}.</p>
<table><tr><th class="l">comparison</th><th>speed-up (Σ latency)</th><th class="l">per NN</th><th>utilization reduction (Σ latency × rate)</th><th>size reduction</th><th>FLOPs reduction</th></tr>
${cmp("chosen vs original", report.comparison.chosenVsOriginal)}
${cmp("chosen vs application-agnostic", report.comparison.chosenVsAgnostic)}
${cmp("application-agnostic vs original", report.comparison.agnosticVsOriginal)}
</table>
<p>Application-agnostic choice (fastest across every backbone and level whose metric is no worse than ${esc(report.agnostic.reference ?? "the first original")}'s${
    report.agnostic.tolerance > 0 ? ` + ${+(report.agnostic.tolerance * 100).toPrecision(3)} %` : ""
  }): ${esc(report.agnostic.candidates.join(", "))} — QoS on the verification seeds:
<span class="${report.agnostic.qos.pass ? "pass" : "fail"}">${report.agnostic.qos.pass ? "pass" : "fail"}</span>.</p>
${agnosticTable(report)}
<p>${esc(seedsText(report))}</p>
<p>${esc(fidelityText(report))}</p>
<h2>Candidates: metric vs latency against the calibrated boundary</h2>
<p>Green band: at most as bad as some passing point on this axis (valid when the other NNs are at their best).
Red band: at least as bad as some failing point (invalid when the other NNs are at their worst). Between or overlapping, it depends on the other NNs.</p>
<div class="figs">${scatters}</div>
<h2>Calibration after the search's feedback</h2>
<div class="figs">${boundarySvg(constraints, { panelSize: 360, pointLink })}</div>
<h2>Tuning progress</h2>
<div class="figs">${progressSvg(report)}</div>
<h2>Candidates</h2>
${candidateTable(report)}
<h2>Combinations walked (best objective first)</h2>
${combinationTable(report, pointLink)}
<p>Timings: measure ${report.timings.measureSeconds.toFixed(1)} s, search ${report.timings.searchSeconds.toFixed(1)} s, agnostic ${report.timings.agnosticSeconds.toFixed(1)} s.</p>
</body></html>
`;
}

/** Metric of one axis vs latency for the candidates of its NN, with the valid/invalid bands the constraints imply. */
function scatterSvg(report: OptimizeReport, constraints: Constraints, axis: CalibrationAxis): string {
  const W = 540;
  const H = 320;
  const m = { l: 62, r: 94, t: 28, b: 44 };
  const pts = report.candidates.filter((c) => axis.name in c.metrics);
  const axisIndex = report.axes.findIndex((a) => a.name === axis.name);
  // Metric values in unit coordinates (0 = best, 1 = worst), so "worse" is always up.
  const units = pts.map((c) => toUnit(axis, c.metrics[axis.name]));
  const pass = constraints.passPoints.map((p) => toUnit(axis, p.point[axisIndex]));
  const fail = constraints.failPoints.map((p) => toUnit(axis, p.point[axisIndex]));
  const validTo = pass.length > 0 ? Math.max(...pass) : undefined;
  const invalidFrom = fail.length > 0 ? Math.min(...fail) : undefined;
  const uMax = Math.max(1, ...units, ...(invalidFrom !== undefined ? [invalidFrom] : []));
  const uMin = Math.min(0, ...units);
  const lat = pts.map((c) => c.latencyMs);
  const xMax = Math.max(...lat) * 1.08;
  const w = W - m.l - m.r;
  const h = H - m.t - m.b;
  const px = (x: number) => m.l + (x / xMax) * w;
  const py = (u: number) => m.t + (1 - (u - uMin) / (uMax - uMin)) * h;
  const value = (u: number) => axis.best + u * (axis.worst - axis.best);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`];
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="16" text-anchor="middle" font-size="12">${esc(axis.name)} vs latency</text>`);
  if (validTo !== undefined) {
    out.push(
      `<rect x="${m.l}" y="${py(validTo).toFixed(1)}" width="${w}" height="${(py(uMin) - py(validTo)).toFixed(1)}" fill="#bfe3bf" opacity="0.6"/>`,
    );
    out.push(
      `<line x1="${m.l}" x2="${m.l + w}" y1="${py(validTo).toFixed(1)}" y2="${py(validTo).toFixed(1)}" stroke="${GREEN}" stroke-dasharray="4 3"/>`,
    );
  }
  if (invalidFrom !== undefined) {
    out.push(
      `<rect x="${m.l}" y="${py(uMax).toFixed(1)}" width="${w}" height="${(py(invalidFrom) - py(uMax)).toFixed(1)}" fill="#f3c4c4" opacity="0.6"/>`,
    );
    out.push(
      `<line x1="${m.l}" x2="${m.l + w}" y1="${py(invalidFrom).toFixed(1)}" y2="${py(invalidFrom).toFixed(1)}" stroke="${RED}" stroke-dasharray="4 3"/>`,
    );
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="none" stroke="#222"/>`);
  for (let k = 0; k <= 4; k++) {
    const x = (xMax * k) / 4;
    out.push(`<text x="${px(x).toFixed(1)}" y="${m.t + h + 14}" text-anchor="middle">${fmt(x)}</text>`);
    const u = uMin + ((uMax - uMin) * k) / 4;
    out.push(`<text x="${m.l - 5}" y="${(py(u) + 3).toFixed(1)}" text-anchor="end">${fmt(value(u))}</text>`);
  }
  out.push(`<text x="${m.l + w / 2}" y="${H - 8}" text-anchor="middle" font-size="11">batch-1 latency (ms, 1 thread)</text>`);
  out.push(
    `<text x="14" y="${m.t + h / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${m.t + h / 2})">${esc(axis.name)} (↑ worse)</text>`,
  );
  const approximators = [...new Set(report.candidates.map((c) => c.approximator))];
  const chosen = new Set(report.chosen?.candidates ?? []);
  const agnostic = new Set(report.agnostic.candidates);
  pts.forEach((c, i) => {
    const color = c.approximator === "original" ? "#000" : PALETTE[approximators.indexOf(c.approximator) % PALETTE.length];
    const x = px(c.latencyMs).toFixed(1);
    const y = py(units[i]).toFixed(1);
    out.push(
      `<circle cx="${x}" cy="${y}" r="4" fill="${color}"><title>${esc(c.id)}: ${fmt(c.metrics[axis.name])}, ${fmt(c.latencyMs)} ms</title></circle>`,
    );
    if (chosen.has(c.id)) out.push(`<circle cx="${x}" cy="${y}" r="8" fill="none" stroke="${GREEN}" stroke-width="2"/>`);
    if (agnostic.has(c.id))
      out.push(
        `<rect x="${(Number(x) - 7).toFixed(1)}" y="${(Number(y) - 7).toFixed(1)}" width="14" height="14" fill="none" stroke="#555" stroke-width="1.5"/>`,
      );
  });
  let ly = m.t + 12;
  for (const [label, color] of approximators.map((a) => [a, a === "original" ? "#000" : PALETTE[approximators.indexOf(a) % PALETTE.length]])) {
    out.push(`<circle cx="${m.l + w + 14}" cy="${ly - 3}" r="4" fill="${color}"/><text x="${m.l + w + 22}" y="${ly}">${esc(label)}</text>`);
    ly += 13;
  }
  out.push(
    `<circle cx="${m.l + w + 14}" cy="${ly - 3}" r="6" fill="none" stroke="${GREEN}" stroke-width="2"/><text x="${m.l + w + 22}" y="${ly}">chosen</text>`,
  );
  ly += 15;
  out.push(
    `<rect x="${m.l + w + 8}" y="${ly - 9}" width="12" height="12" fill="none" stroke="#555"/><text x="${m.l + w + 22}" y="${ly}">agnostic</text>`,
  );
  out.push("</svg>");
  return out.join("\n");
}

/** Objective score of each combination in walk order, marked by what the search did, with the cumulative QoS runs. */
function progressSvg(report: OptimizeReport): string {
  const walked = report.combinations.filter((c) => c.reached);
  const order = [...walked].sort((a, b) => b.score - a.score || a.id - b.id);
  const W = 720;
  const H = 300;
  const m = { l: 62, r: 56, t: 26, b: 44 };
  const w = W - m.l - m.r;
  const h = H - m.t - m.b;
  const n = Math.max(order.length, 2);
  const scores = order.map((c) => c.score);
  const lo = Math.min(...scores, report.original.score);
  const hi = Math.max(...scores, report.original.score);
  const span = hi - lo || 1;
  const px = (i: number) => m.l + (i / (n - 1)) * w;
  const py = (s: number) => m.t + (1 - (s - lo) / span) * h;
  const runs = Math.max(1, report.totals.qosRuns);
  const pr = (k: number) => m.t + (1 - k / runs) * h;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`];
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="12">Guided walk: ${order.length} of ${report.totals.combinations} combinations reached, ${report.totals.qosRuns} QoS runs</text>`,
  );
  out.push(`<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="none" stroke="#222"/>`);
  out.push(
    `<line x1="${m.l}" x2="${m.l + w}" y1="${py(report.original.score).toFixed(1)}" y2="${py(report.original.score).toFixed(1)}" stroke="#000" stroke-dasharray="2 3"/>`,
  );
  out.push(`<text x="${m.l + 4}" y="${(py(report.original.score) - 3).toFixed(1)}">original</text>`);
  let cumulative = 0;
  const stair: string[] = [`${px(0).toFixed(1)},${pr(0).toFixed(1)}`];
  order.forEach((c, i) => {
    stair.push(`${px(i).toFixed(1)},${pr(cumulative).toFixed(1)}`);
    if (c.qos) cumulative++;
    stair.push(`${px(i).toFixed(1)},${pr(cumulative).toFixed(1)}`);
    const x = px(i).toFixed(1);
    const y = py(c.score).toFixed(1);
    const outcome = c.qos ? (c.qos.pass ? "QoS pass" : "QoS fail") : c.classification;
    const fill = c.qos
      ? c.qos.pass
        ? GREEN
        : RED
      : c.classification === "valid"
        ? "#bfe3bf"
        : c.classification === "invalid"
          ? "#f3c4c4"
          : "#eee";
    const stroke = c.qos ? "#000" : c.classification === "valid" ? GREEN : c.classification === "invalid" ? RED : GREY;
    out.push(
      `<circle cx="${x}" cy="${y}" r="4.5" fill="${fill}" stroke="${stroke}"><title>#${c.id} ${esc(c.candidates.join(" "))}: ${outcome}</title></circle>`,
    );
    if (c.verification)
      out.push(`<circle cx="${x}" cy="${y}" r="8" fill="none" stroke="${c.verification.pass ? GREEN : RED}" stroke-width="2"/>`);
  });
  out.push(`<polyline points="${stair.join(" ")}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
  for (let k = 0; k <= 4; k++) {
    const s = lo + (span * k) / 4;
    out.push(`<text x="${m.l - 5}" y="${(py(s) + 3).toFixed(1)}" text-anchor="end">${fmt(s)}</text>`);
    const r = Math.round((runs * k) / 4);
    out.push(`<text x="${m.l + w + 5}" y="${(pr(r) + 3).toFixed(1)}" fill="#1f77b4">${r}</text>`);
  }
  out.push(
    `<text x="${m.l + w / 2}" y="${H - 8}" text-anchor="middle" font-size="11">step (combinations in objective order) · dots: filled = QoS run (green pass, red fail), pale = decided by the constraints, ring = verification</text>`,
  );
  out.push(
    `<text x="14" y="${m.t + h / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${m.t + h / 2})">objective score (${esc(report.objective)})</text>`,
  );
  out.push(
    `<text x="${W - 10}" y="${m.t + h / 2}" text-anchor="middle" font-size="11" fill="#1f77b4" transform="rotate(90 ${W - 10} ${m.t + h / 2})">cumulative QoS runs</text>`,
  );
  out.push("</svg>");
  return out.join("\n");
}

function candidateTable(report: OptimizeReport): string {
  const metricNames = report.axes.map((a) => a.name).filter((n) => report.candidates.some((c) => n in c.metrics));
  const chosen = new Set(report.chosen?.candidates ?? []);
  const rows = report.candidates.map(
    (c: CandidateRecord) =>
      `<tr${chosen.has(c.id) ? ' style="background:#e8f5e9"' : ""}><td class="l">${esc(c.nn)}</td><td class="l">${esc(c.approximator)}</td><td>${c.level}</td><td>${(100 * c.fraction).toFixed(1)}%</td>${metricNames
        .map((n) => `<td>${n in c.metrics ? fmt(c.metrics[n]) : ""}</td>`)
        .join(
          "",
        )}<td>${c.latencyMs.toFixed(3)}</td><td>${(c.flops / 1e6).toFixed(2)}</td><td>${c.params}</td><td>${(c.sizeBytes / 1024).toFixed(1)}</td></tr>`,
  );
  return `<table><tr><th class="l">NN</th><th class="l">approximator</th><th>level</th><th>removed</th>${metricNames
    .map((n) => `<th>${esc(n)}</th>`)
    .join("")}<th>latency (ms)</th><th>MFLOPs</th><th>params</th><th>size (KiB)</th></tr>${rows.join("\n")}</table>`;
}

function combinationTable(report: OptimizeReport, pointLink?: (hash: string) => string | undefined): string {
  const walked = report.combinations.filter((c) => c.reached).sort((a, b) => b.score - a.score || a.id - b.id);
  const outcome = (q: CombinationRecord["qos"]) => {
    if (!q) return "";
    const span = `<span class="${q.pass ? "pass" : "fail"}">${q.pass ? "pass" : "fail"}</span>`;
    const link = pointLink?.(q.hash);
    return link ? `<a href="${esc(link)}" title="replay of its runs">${span} ▶</a>` : span;
  };
  const rows = walked.map(
    (c) =>
      `<tr><td>${c.id}</td><td class="l">${esc(c.candidates.join(", "))}${esc(knobText(c.knobs))}</td><td>${fmt(c.score)}</td><td class="l">${c.classification}</td><td>${c.qosNeeded ? "yes" : "no"}</td><td>${outcome(c.qos)}</td><td>${outcome(c.verification)}</td></tr>`,
  );
  return `<table><tr><th>#</th><th class="l">candidates</th><th>score</th><th class="l">class when reached</th><th>QoS run</th><th>QoS</th><th>verification</th></tr>${rows.join("\n")}</table>
<p>${report.totals.combinations - walked.length} further combinations were never reached (the walk stops at the best passing one).</p>`;
}

function knobText(knobs: Record<string, number>): string {
  return Object.entries(knobs)
    .map(([k, v]) => `, ${k}=${v}`)
    .join("");
}

function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(3)).toString();
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The agnostic choice at each tolerance, with its verification. */
function agnosticTable(report: OptimizeReport): string {
  if (report.agnosticVariants.length < 2) return "";
  const rows = report.agnosticVariants
    .map(
      (v) =>
        `<tr><td>${+(v.tolerance * 100).toPrecision(3)} %</td><td class="l">${esc(v.candidates.join(", "))}</td><td>${esc(v.scoreText)}</td><td class="${v.qos.pass ? "pass" : "fail"}">${v.qos.pass ? "pass" : "fail"}</td></tr>`,
    )
    .join("\n");
  return `<table><tr><th>tolerance</th><th class="l">agnostic choice</th><th>objective</th><th>QoS (verification)</th></tr>\n${rows}</table>`;
}

/** Which seeds (and worlds) each phase used. */
export function seedsText(report: Pick<OptimizeReport, "seeds" | "verifySeeds" | "calibrationSeeds" | "worlds">): string {
  const on = (w: string | undefined) => (w ? ` on ${w}` : "");
  const calibration = report.calibrationSeeds
    ? `calibration seeds [${formatSeeds(report.calibrationSeeds)}]${on(report.worlds?.calibration)}; `
    : "";
  return `Seeds: ${calibration}tuning seeds [${formatSeeds(report.seeds)}]${on(report.worlds?.tuning)}; verification seeds [${formatSeeds(report.verifySeeds)}]${on(report.worlds?.verification)} (disjoint sets).`;
}

/** The calibration's predictions against the real-model runs, in one sentence. */
export function fidelityText(report: Pick<OptimizeReport, "fidelity">): string {
  const f = report.fidelity;
  const c = f.confusion;
  return `Calibration fidelity over ${f.points.length} real-model QoS runs: ${f.decided} were predicted by the calibration (valid/invalid), ${(100 * f.agreement).toFixed(0)} % of them correctly (predicted pass, real fail: ${c.predictedPassRealFail}; predicted fail, real pass: ${c.predictedFailRealPass}); ${c.uncertain} were on combinations the calibration left uncertain.`;
}
