import { describe, expect, it } from "vitest";
import { Constraints } from "../../../optimizer/calibrate/Constraints.ts";
import type { Candidate } from "../../../optimizer/tune/Candidate.ts";
import { agnosticChoice } from "../../../optimizer/tune/agnosticChoice.ts";
import { enumerateCombinations } from "../../../optimizer/tune/enumerateCombinations.ts";
import { guidedSearch } from "../../../optimizer/tune/guidedSearch.ts";
import { minFps, utilization } from "../../../optimizer/tune/Objective.ts";

const axes = [
  { name: "a.l1Error", direction: "lower-better" as const, best: 0, worst: 1 },
  { name: "b.l1Error", direction: "lower-better" as const, best: 0, worst: 1 },
];

/** Candidates whose error grows and latency falls with the level, like pruning levels. */
function levels(nn: string, errors: number[]): Candidate[] {
  return errors.map((e, level) => ({
    nn,
    approximator: level === 0 ? "original" : "prune",
    level,
    fraction: level / errors.length,
    metrics: { [`${nn}.l1Error`]: e },
    latencyMs: 10 / (1 + level),
    flops: 1e6 / (1 + level),
    params: 1000,
    sizeBytes: 4000,
  }));
}

/** The application's truth: passes when a + b ≤ 0.5 (monotone). */
const truth = (p: number[]) => p[0] + p[1] <= 0.5;

describe("guidedSearch", () => {
  const errors = [0.05, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8];

  it("chooses the best combination that really passes, with fewer QoS runs than combinations", async () => {
    const constraints = new Constraints(axes);
    // Calibration knowledge: a pass at (0.2, 0.2) and a fail at (0.45, 0.3).
    constraints.add([0.2, 0.2], true).add([0.45, 0.3], false);
    const combos = enumerateCombinations([levels("a", errors), levels("b", errors)], [], constraints, minFps);
    let runs = 0;
    const result = await guidedSearch(combos, constraints, {
      evaluate: async (c) => {
        runs++;
        return { pass: truth(c.point), hash: `h${c.id}` };
      },
      verify: async (c) => ({ pass: truth(c.point), hash: `v${c.id}` }),
    });
    expect(result.chosen).toBeDefined();
    const chosen = result.chosen!;
    expect(truth(chosen.point)).toBe(true);
    // No passing combination scores higher than the chosen one.
    const better = combos.filter((c) => c.score > chosen.score && truth(c.point));
    expect(better).toEqual([]);
    expect(result.qosRuns).toBe(runs);
    expect(result.qosRuns).toBeLessThan(combos.length * 0.4);
    // Skipped combinations were classified, never guessed: every valid one truly passes, every invalid one truly fails.
    result.finalClassification.forEach((cls, i) => {
      if (cls === "valid") expect(truth(combos[i].point)).toBe(true);
      if (cls === "invalid") expect(truth(combos[i].point)).toBe(false);
    });
  });

  it("records a failed verification and moves on to the next combination", async () => {
    const constraints = new Constraints(axes);
    constraints.add([1, 1], true); // a wrong "everything passes" belief
    const combos = enumerateCombinations([levels("a", errors), levels("b", errors)], [], constraints, minFps);
    const result = await guidedSearch(combos, constraints, {
      evaluate: async (c) => ({ pass: truth(c.point), hash: `h${c.id}` }),
      verify: async (c) => ({ pass: truth(c.point), hash: `v${c.id}` }),
    });
    expect(truth(result.chosen!.point)).toBe(true);
    expect(result.verificationRuns).toBeGreaterThan(1);
    expect(constraints.failPoints.length).toBeGreaterThan(0);
  });

  it("with failureFeedback off, runs a combination a failure would have condemned (metrics that do not rank QoS)", async () => {
    // Level 2 is the fastest and the most accurate by the metric, yet fails in the loop; level 1, worse by the
    // metric, passes: the GEM's DarkNet LaneNet levels 11 and 8 by lane recall.
    const passes = [true, true, false];
    const combos = () => {
      const constraints = new Constraints([axes[0]]);
      return { constraints, combos: enumerateCombinations([levels("a", [0.05, 0.3, 0.2])], [], constraints, minFps) };
    };
    const search = async (failureFeedback: boolean) => {
      const { constraints, combos: list } = combos();
      const outcome = async (c: (typeof list)[number]) => ({ pass: passes[c.candidates[0].level], hash: `h${c.id}` });
      const result = await guidedSearch(list, constraints, { evaluate: outcome, verify: outcome, failureFeedback });
      return { level: result.chosen?.candidates[0].level, qosRuns: result.qosRuns, fails: constraints.failPoints.length };
    };
    expect(await search(true)).toEqual({ level: 0, qosRuns: 2, fails: 1 });
    expect(await search(false)).toEqual({ level: 1, qosRuns: 2, fails: 0 });
  });

  it("chooses nothing when nothing passes, and respects the QoS budget", async () => {
    const constraints = new Constraints(axes);
    const combos = enumerateCombinations([levels("a", errors), levels("b", errors)], [], constraints, minFps);
    const result = await guidedSearch(combos, constraints, {
      evaluate: async (c) => ({ pass: false, hash: `h${c.id}` }),
      maxQosRuns: 3,
    });
    expect(result.chosen).toBeUndefined();
    expect(result.qosRuns).toBe(3);
  });
});

describe("enumerateCombinations", () => {
  it("crosses candidates and knobs, placing knob values on their axis", () => {
    const constraints = new Constraints([axes[0], { name: "fps", direction: "higher-better", best: 20, worst: 5 }]);
    const combos = enumerateCombinations([levels("a", [0.1, 0.2])], [{ name: "fps", values: [10, 20] }], constraints, utilization(20));
    expect(combos.map((c) => c.point)).toEqual([
      [0.1, 10],
      [0.1, 20],
      [0.2, 10],
      [0.2, 20],
    ]);
    // Utilization = latency × rate: the slower rate and faster model score best.
    const best = [...combos].sort((x, y) => y.score - x.score)[0];
    expect(best.point).toEqual([0.2, 10]);
  });

  it("places a candidate by its budget coordinates where it has them, and the agnostic choice by its metrics", () => {
    const constraints = new Constraints(axes);
    const [a, b] = [levels("a", [0.1, 0.2]), levels("b", [0.1])];
    a[1].budget = { "a.l1Error": 0.35 };
    expect(enumerateCombinations([a, b], [], constraints, minFps).map((c) => c.point)).toEqual([
      [0.1, 0.1],
      [0.35, 0.1],
    ]);
    expect(agnosticChoice([a, b], axes, { tolerance: 1 })[0]).toBe(a[1]);
  });

  it("names the axis no candidate measures", () => {
    const constraints = new Constraints(axes);
    expect(() => enumerateCombinations([levels("a", [0.1])], [], constraints, minFps)).toThrow(/b\.l1Error: no candidate measures it/);
  });
});

describe("agnosticChoice", () => {
  it("picks the fastest candidate no less accurate than the original", () => {
    const list = levels("a", [0.1, 0.09, 0.1, 0.12, 0.3]);
    const [choice] = agnosticChoice([list], axes);
    expect(choice.level).toBe(2);
    const [lenient] = agnosticChoice([list], axes, { tolerance: 0.25 });
    expect(lenient.level).toBe(3);
  });
});
