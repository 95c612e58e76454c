import { isRateGoal, rateTestOf, type QosGoal } from "./QosGoal.ts";

/**
 * A QoS goal in words, as reports state what their verdicts mean: the per-run
 * bounds, then how a configuration's runs are judged.
 *
 * @example describeGoal({ collisions: 0, passRate: 0.9, confidence: 0.9 })
 * // "a run passes with no collision and the route completed; a configuration passes when ≥ 90 % of runs pass,
 * //  at 90 % confidence (sequential test, pass rates 80 % vs 94 %, ≤ 114 runs per verdict)"
 */
export function describeGoal(goal: QosGoal): string {
  const collisions = goal.collisions ?? 0;
  const bounds = [collisions === 0 ? "no collision" : `≤ ${collisions} collision${collisions === 1 ? "" : "s"}`];
  if (goal.crossTrackMax !== undefined) bounds.push(`|cross-track| ≤ ${goal.crossTrackMax} m`);
  if (goal.crossTrackRms !== undefined) bounds.push(`cross-track RMS ≤ ${goal.crossTrackRms} m`);
  if (goal.headingRms !== undefined) bounds.push(`heading RMS ≤ ${goal.headingRms} rad`);
  if (goal.completed ?? true) bounds.push("the route completed");
  const run = `a run passes with ${bounds.slice(0, -1).join(", ")}${bounds.length > 1 ? " and " : ""}${bounds.at(-1)}`;
  const pct = (x: number) => `${+(100 * x).toFixed(1)} %`;
  if (isRateGoal(goal)) {
    const t = rateTestOf(goal);
    return (
      `${run}; a configuration passes when ≥ ${pct(t.rate)} of runs pass, at ${pct(t.confidence)} confidence ` +
      `(sequential test, pass rates ${pct(t.failBelow)} vs ${pct(t.passAbove)}, ≤ ${t.maxRuns} runs per verdict)`
    );
  }
  const fraction = goal.minPassFraction ?? 1;
  return `${run}; a configuration passes when ${fraction === 1 ? "every seed passes" : `≥ ${pct(fraction)} of its seeds pass`}`;
}
