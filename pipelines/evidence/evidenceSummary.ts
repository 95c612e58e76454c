import { relative } from "node:path";
import { formatSeeds } from "../../common/index.ts";
import type { LoopFidelityPoint } from "../../optimizer/index.ts";
import { describeGoal } from "../qos/describeGoal.ts";
import type { ApplicationEvidence, EvidenceReport, LatencyComparison, Spread } from "./EvidenceReport.ts";
import { PAPER_FIGURES } from "./paperFigures.ts";

/** One row of the side-by-side table: what is compared, ours, the paper's. */
export interface EvidenceRow {
  what: string;
  ours: string;
  paper: string;
}

const x = (v: number) => `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
const spread = (s: Spread) => `${x(s.median)} (${x(s.p10)}–${x(s.p90)})`;
const pct = (v: number) => `${(100 * v).toFixed(0)} %`;
const runsText = (runs: number | undefined) => (runs === undefined ? "" : ` (${runs} closed-loop run${runs === 1 ? "" : "s"})`);
/** The real runs behind some fidelity points, e.g. " (runs passing: 176/190, 159/172)"; "" when none reports them. */
const passedRunsText = (points: readonly LoopFidelityPoint[]) => {
  const known = points.filter((p) => p.runs !== undefined);
  return known.length > 0 ? ` (runs passing: ${known.map((p) => `${p.passedRuns}/${p.runs}`).join(", ")})` : "";
};
const app = (a: ApplicationEvidence) => (a.application === "cropfollow" ? "CropFollow" : a.application === "gem" ? "GEM" : a.application);

/** The paper's table with ours beside it (one place for both the markdown and the HTML). */
export function evidenceRows(report: EvidenceReport): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const paper = PAPER_FIGURES as Record<string, Record<string, number> | undefined>;
  for (const a of report.applications) {
    const p = paper[a.application];
    const v = a.vsAgnostic;
    const none = "— (nothing chosen)";
    if (a.objective === "utilization") {
      rows.push({
        what: `${app(a)}: utilization reduction over the agnostic choice`,
        ours: v ? spread(v.utilizationReduction) : none,
        paper: p?.utilizationReductionVsAgnostic ? `${p.utilizationReductionVsAgnostic}×` : "—",
      });
    } else {
      rows.push({
        what: `${app(a)}: pipeline FPS speed-up over the agnostic choice`,
        ours: v ? spread(v.speedup) : none,
        paper: p?.speedupVsAgnostic ? `${p.speedupVsAgnostic}×` : "—",
      });
    }
    rows.push({
      what: `${app(a)}: model size reduction over the agnostic choice`,
      ours: v ? x(v.sizeReduction) : none,
      paper: p?.sizeReductionVsAgnostic ? `${p.sizeReductionVsAgnostic}×` : "—",
    });
    rows.push({
      what: `${app(a)}: QoS runs, guided vs unguided`,
      ours:
        `${a.guided.qosRuns} (+${a.guided.verificationRuns} verification) vs ${a.unguided.qosRuns}${a.unguided.capped ? "+ (capped)" : ""}` +
        ` (+${a.unguided.verificationRuns} verification)`,
      paper: `~${PAPER_FIGURES.qosRuns.guided} vs ~${PAPER_FIGURES.qosRuns.unguided}`,
    });
  }
  return rows;
}

function comparisonLine(label: string, c: LatencyComparison | undefined): string {
  if (!c) return "";
  const nets = Object.entries(c.byNn)
    .map(([nn, v]) => `${nn} ${v.baselineMs.toFixed(3)} → ${v.chosenMs.toFixed(3)} ms (${spread(v.speedup)})`)
    .join("; ");
  return `- ${label}: pipeline FPS ${spread(c.speedup)}, utilization ${spread(c.utilizationReduction)} lower, size ${x(c.sizeReduction)} smaller; per NN (interleaved, median and 10th–90th percentile): ${nets}\n`;
}

/** `evidence/summary.md`: the paper's table side by side, then what each application's numbers rest on. */
export function evidenceSummary(report: EvidenceReport, outDir: string): string {
  const lines: string[] = [];
  lines.push("# ApproxCaliper evidence: the paper's comparison, reproduced", "");
  lines.push(
    `Ran in ${(report.seconds / 60).toFixed(1)} min on ${report.machine.cpus} cores (load average at the end ${report.machine.loadAverage.map((l) => l.toFixed(1)).join(", ")}; Node ${report.machine.node}). ` +
      "Speed-ups are from batch-1 one-thread latencies measured interleaved (median, 10th–90th percentile; pipeline ratios take the conservative bound of the NNs' spreads).",
    "",
  );
  lines.push("| | ours | paper |", "| --- | --- | --- |");
  for (const r of evidenceRows(report)) lines.push(`| ${r.what} | ${r.ours} | ${r.paper} |`);
  lines.push("");
  for (const a of report.applications) {
    lines.push(`## ${app(a)}`, "");
    const bullet = (s: string) => lines.push(`- ${s}`);
    bullet(
      `Config \`${relative(outDir, a.config)}\`; objective \`${a.objective}\`; ${a.combinations} combinations of ${a.candidates.map((c) => `${c.nn}${c.backbone ? `/${c.backbone}` : ""} × ${c.count}`).join(", ")}.`,
    );
    bullet(`Goal: ${describeGoal(a.goal)}.`);
    bullet(
      `Seeds (disjoint): calibration [${formatSeeds(a.seeds.calibration)}] on ${a.worlds.calibration}; tuning [${formatSeeds(a.seeds.tuning)}] on ${a.worlds.tuning}; verification [${formatSeeds(a.seeds.verification)}] on ${a.worlds.verification.join(" and ")}.`,
    );
    bullet(
      `Calibration (${a.calibration.source}): ${a.calibration.evaluations} QoS evaluations${runsText(a.closedLoopRuns.calibration)}, ${a.calibration.pass} pass, ${a.calibration.fail} fail, ${pct(a.calibration.classifiedFraction)} of the budget space classified.`,
    );
    bullet(
      a.guided.chosen
        ? `Guided choice: ${a.guided.chosen.candidates.join(", ")}${Object.entries(a.guided.chosen.knobs)
            .map(([k, v]) => `, ${k} = ${v}`)
            .join(
              "",
            )} (${a.guided.chosen.scoreText}), ${a.guided.qosRuns} QoS runs${runsText(a.closedLoopRuns.guided)} + ${a.guided.verificationRuns} verification${runsText(a.closedLoopRuns.guidedVerification)}.`
        : `Guided tuning chose nothing (${a.guided.qosRuns} QoS runs${runsText(a.closedLoopRuns.guided)}).`,
    );
    bullet(
      a.unguided.optimum
        ? `Unguided walk: optimum ${a.unguided.optimum.candidates.join(", ")} (${a.unguided.optimum.scoreText}) after ${a.unguided.qosRuns} QoS runs${runsText(a.closedLoopRuns.unguided)} + ${a.unguided.verificationRuns} verification${runsText(a.closedLoopRuns.unguidedVerification)}; guided ${a.guidedEqualsUnguided ? "found the same" : `differs (objective gap ${pct(a.objectiveGap ?? NaN)})`}.`
        : `Unguided walk: no pass in ${a.unguided.qosRuns} QoS runs${runsText(a.closedLoopRuns.unguided)}${a.unguided.capped ? " (capped: a lower bound)" : ""}.`,
    );
    for (const v of a.agnosticVariants)
      bullet(
        `Agnostic choice at tolerance ${pct(v.tolerance)} (reference ${a.agnostic.reference ?? "the first backbone"}): ${v.choice.candidates.join(", ")} (${v.choice.scoreText}); verification ${v.qos.pass ? "pass" : v.qos.uncertain ? "uncertain" : "FAIL"}.`,
      );
    bullet(
      `Verification of the choice: ${a.verification.pass ? "pass" : "FAIL"}, ${a.verification.passedRuns}/${a.verification.runs} runs met the goal (pass rate ${pct(a.verification.passRate)}).`,
    );
    const f = a.fidelity;
    bullet(
      `Calibration fidelity over ${f.points.length} real-model QoS runs: ${f.decided} predicted, ${pct(f.agreement)} agree; predicted pass but real fail: ${f.confusion.predictedPassRealFail}${passedRunsText(f.points.filter((p) => p.predicted === "valid" && p.real !== "pass"))}; predicted fail but real pass: ${f.confusion.predictedFailRealPass}; ${f.confusion.uncertain} on uncertain combinations.`,
    );
    lines.push(
      comparisonLine("Chosen vs agnostic", a.vsAgnostic).trimEnd(),
      comparisonLine(
        `Chosen vs the best verified agnostic variant (${a.bestAgnostic ? pct(a.bestAgnostic.tolerance) : "none"})`,
        a.vsBestAgnostic,
      ).trimEnd(),
    );
    bullet(
      `Time: calibration ${a.seconds.calibration.toFixed(0)} s, guided ${a.seconds.guided.toFixed(0)} s, unguided ${a.seconds.unguided.toFixed(0)} s, latency ${a.seconds.latency.toFixed(0)} s; total ${(a.seconds.total / 60).toFixed(1)} min. Full tuning report: \`${relative(outDir, a.reportJson)}\` (and report.html beside it).`,
    );
    lines.push("");
  }
  return lines.filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n") + "\n";
}
