import { describe, expect, it } from "vitest";
import { Constraints, fromUnit, Random, searchBoundary, type CalibrationAxis, type CalibrationProgress } from "../../../index.ts";
import { box, quarterDisk, simplex, type Truth } from "../../fixtures/calibrationOracles.ts";

/** Mixed axes so the search's unit mapping is exercised: one lower-better, one higher-better, one scaled. */
const AXES: CalibrationAxis[] = [
  { name: "heading.l1Error", direction: "lower-better", best: 0, worst: 0.4 },
  { name: "lanes.iou", direction: "higher-better", best: 0.95, worst: 0.35 },
  { name: "distance.l2Error", direction: "lower-better", best: 0.01, worst: 0.21 },
];

async function run(truth: Truth, d: number, iters: number, precision: number, noisyBand = 0) {
  const axes = AXES.slice(0, d);
  const constraints = new Constraints(axes);
  const rng = new Random("noise");
  const calls: number[][] = [];
  const report = await searchBoundary(
    constraints,
    async (point) => {
      calls.push(point);
      const u = constraints.unit(point);
      // Within the band the oracle may answer either way (seed noise near the boundary).
      if (noisyBand > 0 && inBand(truth, u, noisyBand)) return { pass: rng.chance(0.5) };
      return { pass: truth(u) };
    },
    { iters, precision },
  );
  return { constraints, report, calls, axes };
}

/** True when moving `u` by less than `h` on every axis can change the truth. */
function inBand(truth: Truth, u: readonly number[], h: number): boolean {
  return truth(u.map((v) => Math.max(0, v - h))) !== truth(u.map((v) => v + h));
}

/** Checks random points against the truth; returns the share classified and the wrong classifications. */
function audit(constraints: Constraints, truth: Truth, axes: CalibrationAxis[], band = 0, samples = 20_000) {
  const rng = new Random("audit");
  let classified = 0;
  let wrong = 0;
  for (let s = 0; s < samples; s++) {
    const u = axes.map(() => rng.next());
    const c = constraints.classify(u.map((v, i) => fromUnit(axes[i], v)));
    if (c === "uncertain") continue;
    classified++;
    if (band > 0 && inBand(truth, u, band)) continue;
    if ((c === "valid") !== truth(u)) wrong++;
  }
  return { classified: classified / samples, wrong };
}

describe("searchBoundary on synthetic monotone oracles", () => {
  const cases: { name: string; truth: Truth; d: number; iters: number; precision: number }[] = [
    { name: "2-D quarter disk", truth: quarterDisk(0.7), d: 2, iters: 120, precision: 0.04 },
    { name: "2-D axis-aligned box", truth: box([0.6, 0.35]), d: 2, iters: 40, precision: 0.02 },
    { name: "3-D simplex", truth: simplex(1), d: 3, iters: 4000, precision: 0.04 },
    { name: "3-D axis-aligned box", truth: box([0.3, 0.7, 0.55]), d: 3, iters: 150, precision: 0.02 },
  ];
  for (const { name, truth, d, iters, precision } of cases) {
    it(`${name}: ≥ 95 % classified within ${iters} evaluations, never wrongly`, async () => {
      const { constraints, report, calls, axes } = await run(truth, d, iters, precision);
      expect(report.evaluations).toBe(calls.length);
      expect(calls.length).toBeLessThanOrEqual(iters);
      expect(constraints.classifiedFraction()).toBeGreaterThanOrEqual(0.95);
      const { classified, wrong } = audit(constraints, truth, axes);
      expect(wrong).toBe(0);
      // The exact area and the sampled share agree.
      expect(Math.abs(classified - constraints.classifiedFraction())).toBeLessThan(0.01);
      // No point is evaluated twice, and no evaluated point was already classified.
      expect(new Set(calls.map((p) => p.join())).size).toBe(calls.length);
    });
  }

  it("converges and stops early when the budget is ample", async () => {
    const { report, constraints } = await run(box([0.6, 0.35]), 2, 1000, 0.02);
    expect(report.budgetExhausted).toBe(false);
    expect(report.openBoxes).toBe(0);
    expect(report.evaluations).toBeLessThan(100);
    expect(constraints.classifiedFraction()).toBeGreaterThan(0.97);
  });

  it("reports when the budget runs out", async () => {
    const { report } = await run(quarterDisk(0.7), 2, 10, 0.01);
    expect(report.evaluations).toBe(10);
    expect(report.budgetExhausted).toBe(true);
    expect(report.openBoxes).toBeGreaterThan(0);
  });

  it("settles an all-pass and an all-fail space with few evaluations", async () => {
    const pass = await run(() => true, 3, 100, 0.05);
    expect(pass.constraints.classifiedFraction()).toBe(1);
    expect(pass.calls.length).toBeLessThanOrEqual(6);
    const fail = await run(() => false, 3, 100, 0.05);
    expect(fail.constraints.classifiedFraction()).toBe(1);
    expect(fail.calls.length).toBeLessThanOrEqual(6);
  });

  it("with outcomes random inside the precision band, misclassifies nothing outside it", async () => {
    const precision = 0.04;
    for (const [truth, d, iters] of [
      [quarterDisk(0.7), 2, 150],
      [simplex(1.2), 3, 1500],
    ] as const) {
      const { constraints, axes } = await run(truth, d, iters, precision, precision);
      const { wrong } = audit(constraints, truth, axes, precision);
      expect(wrong).toBe(0);
    }
  });

  it("is deterministic and reports progress with an ETA", async () => {
    const a = await run(simplex(1), 3, 200, 0.05);
    const b = await run(simplex(1), 3, 200, 0.05);
    expect(b.calls).toEqual(a.calls);
    const seen: CalibrationProgress[] = [];
    let clock = 0;
    const c = new Constraints(AXES.slice(0, 2));
    await searchBoundary(
      c,
      async (p) => {
        clock += 250; // each evaluation takes 250 ms on the fake clock
        return { pass: quarterDisk(0.7)(c.unit(p)) };
      },
      { iters: 20, precision: 0.05, onProgress: (p) => seen.push(p), now: () => clock },
    );
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(seen[0].total).toBe(20);
    expect(seen[0].etaSeconds).toBeCloseTo(19 * 0.25, 9);
    expect(seen.at(-1)!.etaSeconds).toBeCloseTo((20 - seen.length) * 0.25, 9);
  });

  it("evaluates probes first, in order, skipping those dominance already settles; one failing corner settles its side", async () => {
    // Truth: axis 1 (a knob) passes only in its better 60 %, whatever axis 0 does: the bisection along the
    // diagonal cannot see that axis 0 does not matter; the probe at (best, worst) does.
    const truth: Truth = (u) => u[1] <= 0.6 && u[0] <= 0.9;
    const axes = AXES.slice(0, 2);
    const c = new Constraints(axes);
    const calls: number[][] = [];
    const probes = [
      [0, 1],
      [0.5, 1], // dominated by the failing (0, 1): never evaluated
    ];
    await searchBoundary(
      c,
      async (point) => {
        calls.push(c.unit(point));
        return { pass: truth(c.unit(point)) };
      },
      { iters: 1, precision: 0.05, probes },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBeCloseTo(0, 12);
    expect(calls[0][1]).toBeCloseTo(1, 12);
    // That one evaluation settles every point at the knob's worst setting.
    expect(c.classifyUnit([0, 1])).toBe("invalid");
    expect(c.classifyUnit([0.95, 1])).toBe("invalid");

    const without = new Constraints(axes);
    await searchBoundary(without, async (p) => ({ pass: truth(without.unit(p)) }), { iters: 1, precision: 0.05 });
    expect(without.classifyUnit([0, 1])).toBe("uncertain");
  });

  it("stops in the probes when the budget runs out there", async () => {
    const c = new Constraints(AXES.slice(0, 2));
    const calls: number[][] = [];
    const probes = [
      [0, 1],
      [1, 0],
    ];
    const report = await searchBoundary(c, async (p) => (calls.push(c.unit(p)), { pass: true }), { iters: 1, probes });
    expect(report).toEqual({ evaluations: 1, budgetExhausted: true, openBoxes: 1 });
    expect(calls.map((u) => u.map((v) => Math.round(v * 1e9) / 1e9))).toEqual([[0, 1]]);
  });

  it("rejects bad options", async () => {
    const c = new Constraints(AXES.slice(0, 2));
    await expect(searchBoundary(c, async () => ({ pass: true }), { iters: 5, precision: 0 })).rejects.toThrow(/precision/);
    await expect(searchBoundary(c, async () => ({ pass: true }), { iters: -1 })).rejects.toThrow(/iters/);
    await expect(searchBoundary(c, async () => ({ pass: true }), { iters: 5, probes: [[0, 1, 0]] })).rejects.toThrow(
      /probes\[0\]: expected 2 unit coordinates in \[0, 1\], got \[0, 1, 0\]/,
    );
    await expect(searchBoundary(c, async () => ({ pass: true }), { iters: 5, probes: [[0, 1.5]] })).rejects.toThrow(/probes\[0\]/);
  });
});
