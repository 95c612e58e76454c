import { check } from "../../common/index.ts";
import type { Constraints } from "../calibrate/Constraints.ts";
import type { Candidate, Combination } from "./Candidate.ts";
import type { Objective } from "./Objective.ts";

/** An application knob searched alongside the NN candidates, e.g. the perception rate. */
export interface Knob {
  /** Name; also the calibration-axis name its value is placed on, if the constraints have one. */
  name: string;
  values: number[];
}

/**
 * Every combination of one candidate per NN and one value per knob, with its
 * metric-budget point (in the constraints' axis order) and objective score.
 * Each axis must be covered by exactly one NN's metrics or by a knob.
 */
export function enumerateCombinations(
  candidatesByNn: readonly (readonly Candidate[])[],
  knobs: readonly Knob[],
  constraints: Constraints,
  objective: Objective,
): Combination[] {
  check(candidatesByNn.length > 0, "optimize", () => "no NNs to tune");
  candidatesByNn.forEach((list, i) => check(list.length > 0, "optimize", () => `NN #${i} has no candidates`));
  knobs.forEach((k) => check(k.values.length > 0, `knob ${k.name}`, () => "has no values"));

  const out: Combination[] = [];
  const lists: { kind: "nn" | "knob"; size: number }[] = [
    ...candidatesByNn.map((l) => ({ kind: "nn" as const, size: l.length })),
    ...knobs.map((k) => ({ kind: "knob" as const, size: k.values.length })),
  ];
  const index = new Array<number>(lists.length).fill(0);
  for (;;) {
    const candidates = candidatesByNn.map((l, i) => l[index[i]]);
    const knobValues: Record<string, number> = {};
    knobs.forEach((k, j) => (knobValues[k.name] = k.values[index[candidatesByNn.length + j]]));
    out.push({
      id: out.length,
      candidates,
      knobs: knobValues,
      point: pointOf(candidates, knobValues, constraints),
      score: objective.score(candidates, knobValues),
    });
    let d = lists.length - 1;
    while (d >= 0 && ++index[d] === lists[d].size) index[d--] = 0;
    if (d < 0) break;
  }
  return out;
}

/** The metric-budget point of a combination (each candidate's `budget`, else its `metrics`), in the constraints' axis order. */
export function pointOf(candidates: readonly Candidate[], knobs: Readonly<Record<string, number>>, constraints: Constraints): number[] {
  return constraints.axes.map((axis) => {
    if (axis.name in knobs) return knobs[axis.name];
    const owners = candidates.filter((c) => axis.name in c.metrics);
    check(owners.length === 1, `axis ${axis.name}`, () =>
      owners.length === 0
        ? `no candidate measures it (candidates measure: ${[...new Set(candidates.flatMap((c) => Object.keys(c.metrics)))].join(", ")})`
        : `measured by several NNs (${owners.map((c) => c.nn).join(", ")})`,
    );
    return owners[0].budget?.[axis.name] ?? owners[0].metrics[axis.name];
  });
}
