import { describe, expect, it } from "vitest";
import { Constraints } from "../../../optimizer/calibrate/Constraints.ts";
import type { Candidate } from "../../../optimizer/tune/Candidate.ts";
import { enumerateCombinations } from "../../../optimizer/tune/enumerateCombinations.ts";
import { guidedSearch } from "../../../optimizer/tune/guidedSearch.ts";
import { minFps, utilization } from "../../../optimizer/tune/Objective.ts";
import { unguidedWalk } from "../../../optimizer/tune/unguidedWalk.ts";

const axes = [
  { name: "a.l1Error", direction: "lower-better" as const, best: 0, worst: 1 },
  { name: "b.l1Error", direction: "lower-better" as const, best: 0, worst: 1 },
];

/** Two backbones per NN, each with levels whose error grows and latency falls. */
function candidates(nn: string): Candidate[] {
  const out: Candidate[] = [];
  for (const [backbone, base, slow] of [
    ["big", 0.02, 10],
    ["small", 0.06, 4],
  ] as const) {
    for (let level = 0; level < 6; level++) {
      out.push({
        nn,
        backbone,
        approximator: level === 0 ? "original" : "prune",
        level,
        fraction: level / 6,
        metrics: { [`${nn}.l1Error`]: base + 0.08 * level },
        latencyMs: slow / (1 + level),
        flops: 1,
        params: 1,
        sizeBytes: 1,
      });
    }
  }
  return out;
}

const truth = (p: number[]) => p[0] + p[1] <= 0.4;

describe("backbone × level × knob candidates", () => {
  it("enumerates every backbone's levels of every NN with every knob value", () => {
    const c = new Constraints([...axes, { name: "fps", direction: "higher-better", best: 20, worst: 5 }]);
    const combos = enumerateCombinations([candidates("a"), candidates("b")], [{ name: "fps", values: [20, 10, 5] }], c, utilization(20));
    expect(combos).toHaveLength(12 * 12 * 3);
    const seen = new Set(combos.map((x) => x.candidates.map((y) => `${y.backbone}-${y.level}`).join("|") + `@${x.knobs.fps}`));
    expect(seen.size).toBe(12 * 12 * 3);
    const one = combos.find((x) => x.candidates[0].backbone === "small" && x.candidates[0].level === 2 && x.knobs.fps === 10)!;
    expect(one.point).toEqual([0.06 + 0.16, one.candidates[1].metrics["b.l1Error"], 10]);
    expect(one.score).toBeCloseTo(-((4 / 3 + one.candidates[1].latencyMs) * 10) / 1000, 12);
  });
});

describe("unguidedWalk vs guidedSearch", () => {
  it("walks in objective order until a pass: the true optimum, at the cost of one QoS run per combination above it", async () => {
    const combos = enumerateCombinations([candidates("a"), candidates("b")], [], new Constraints(axes), minFps);
    const order = [...combos].sort((x, y) => y.score - x.score || x.id - y.id);
    const firstPass = order.findIndex((c) => truth(c.point));
    const walk = await unguidedWalk(combos, { evaluate: async (c) => ({ pass: truth(c.point), hash: String(c.id) }) });
    expect(walk.optimum).toBe(order[firstPass]);
    expect(walk.qosRuns).toBe(firstPass + 1);
    expect(walk.capped).toBe(false);

    const constraints = new Constraints(axes);
    constraints.add([0.1, 0.1], true).add([0.3, 0.3], false);
    const guided = await guidedSearch(combos, constraints, { evaluate: async (c) => ({ pass: truth(c.point), hash: String(c.id) }) });
    expect(guided.chosen?.score).toBe(walk.optimum!.score);
    expect(guided.qosRuns).toBeLessThan(walk.qosRuns);
  });

  it("stops at maxQosRuns and says the count is a lower bound; uncertain verdicts are not passes", async () => {
    const combos = enumerateCombinations([candidates("a"), candidates("b")], [], new Constraints(axes), minFps);
    const walk = await unguidedWalk(combos, { evaluate: async (c) => ({ pass: false, hash: String(c.id) }), maxQosRuns: 5 });
    expect(walk).toMatchObject({ qosRuns: 5, capped: true });
    expect(walk.optimum).toBeUndefined();
    const unsure = await unguidedWalk(combos.slice(0, 3), { evaluate: async (c) => ({ pass: true, uncertain: true, hash: String(c.id) }) });
    expect(unsure).toMatchObject({ qosRuns: 3, capped: false });
    expect(unsure.optimum).toBeUndefined();
  });

  it("with verify, holds the optimum to the guided search's rule: a pass that fails verification continues the walk", async () => {
    const combos = enumerateCombinations([candidates("a"), candidates("b")], [], new Constraints(axes), minFps);
    const order = [...combos].sort((x, y) => y.score - x.score || x.id - y.id);
    // Every combination passes the tuning seeds; only the third in objective order holds on fresh ones.
    const verified: number[] = [];
    const walk = await unguidedWalk(combos, {
      evaluate: async (c) => ({ pass: true, hash: String(c.id) }),
      verify: async (c) => {
        verified.push(c.id);
        return { pass: c.id === order[2].id, hash: `v${c.id}` };
      },
    });
    expect(walk.optimum).toBe(order[2]);
    expect(walk).toMatchObject({ qosRuns: 3, verificationRuns: 3, capped: false });
    expect(verified).toEqual(order.slice(0, 3).map((c) => c.id));
    expect(walk.steps.map((s) => s.verification?.pass)).toEqual([false, false, true]);
    // A failed QoS is not verified.
    const failing = await unguidedWalk(combos.slice(0, 2), {
      evaluate: async (c) => ({ pass: false, hash: String(c.id) }),
      verify: async () => expect.unreachable("verify called on a failed QoS"),
    });
    expect(failing).toMatchObject({ qosRuns: 2, verificationRuns: 0 });
  });
});
