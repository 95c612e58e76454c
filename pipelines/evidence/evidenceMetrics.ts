import type { ApplicationEvidence } from "./EvidenceReport.ts";

/**
 * The flat metrics of an evidence run (`--json`), per application `<app>`:
 * `evidence.<app>.speedupVsAgnostic` (pipeline FPS ratio, interleaved
 * medians), `.utilizationReductionVsAgnostic`, `.sizeReductionVsAgnostic`,
 * the same `…VsBestAgnostic` against the best verified practitioner variant,
 * `.qosRuns.guided`, `.qosRuns.unguided` (a lower bound when
 * `.qosRuns.unguidedCapped`), `.verificationRuns.guided`,
 * `.verificationRuns.unguided` (verdicts), `.closedLoopRuns.<phase>` (the
 * runs those verdicts rest on: `calibration`, `guided`, `guidedVerification`,
 * `unguided`, `unguidedVerification`), `.guidedEqualsUnguided`, `.objectiveGap`,
 * `.verification.passRate`, `.verification.runs`, `.fidelity.agreement`,
 * `.fidelity.predictedPassRealFail`, `.seconds`. A metric that does not
 * exist (nothing chosen) is left out.
 */
export function evidenceMetrics(apps: readonly ApplicationEvidence[]): Record<string, number | boolean> {
  const m: Record<string, number | boolean> = {};
  for (const a of apps) {
    const k = (name: string) => `evidence.${a.application}.${name}`;
    if (a.vsAgnostic) {
      m[k("speedupVsAgnostic")] = a.vsAgnostic.speedup.median;
      m[k("utilizationReductionVsAgnostic")] = a.vsAgnostic.utilizationReduction.median;
      m[k("sizeReductionVsAgnostic")] = a.vsAgnostic.sizeReduction;
    }
    if (a.vsBestAgnostic) {
      m[k("speedupVsBestAgnostic")] = a.vsBestAgnostic.speedup.median;
      m[k("utilizationReductionVsBestAgnostic")] = a.vsBestAgnostic.utilizationReduction.median;
      m[k("sizeReductionVsBestAgnostic")] = a.vsBestAgnostic.sizeReduction;
    }
    m[k("qosRuns.guided")] = a.guided.qosRuns;
    m[k("qosRuns.unguided")] = a.unguided.qosRuns;
    m[k("qosRuns.unguidedCapped")] = a.unguided.capped;
    m[k("verificationRuns.guided")] = a.guided.verificationRuns;
    m[k("verificationRuns.unguided")] = a.unguided.verificationRuns;
    for (const [phase, runs] of Object.entries(a.closedLoopRuns)) m[k(`closedLoopRuns.${phase}`)] = runs;
    m[k("guidedEqualsUnguided")] = a.guidedEqualsUnguided;
    if (a.objectiveGap !== undefined) m[k("objectiveGap")] = a.objectiveGap;
    m[k("verification.passRate")] = a.verification.passRate;
    m[k("verification.runs")] = a.verification.runs;
    m[k("fidelity.agreement")] = a.fidelity.agreement;
    m[k("fidelity.predictedPassRealFail")] = a.fidelity.confusion.predictedPassRealFail;
    m[k("seconds")] = a.seconds.total;
  }
  return m;
}
