import { describe, expect, it } from "vitest";
import { Constraints, downSetVolume, InputError, maximalPoints, Random, unionVolume, type CalibrationAxis } from "../../../index.ts";

const axes: CalibrationAxis[] = [
  { name: "heading.l1Error", direction: "lower-better", best: 0, worst: 0.5 },
  { name: "lanes.iou", direction: "higher-better", best: 1, worst: 0.5 },
];

describe("Constraints", () => {
  // unit coordinates: pass at (0.4, 0.6) and (0.8, 0.2); fail at (0.6, 0.8)
  const c = new Constraints(axes).add([0.2, 0.7], true).add([0.4, 0.9], true).add({ "heading.l1Error": 0.3, "lanes.iou": 0.6 }, false, "h1");

  it("classifies by dominance in the direction of each axis", () => {
    expect(c.classify([0.1, 0.8])).toBe("valid"); // better than the first pass point on both axes
    expect(c.classify([0.2, 0.7])).toBe("valid"); // the pass point itself
    expect(c.classify([0.35, 0.95])).toBe("valid");
    expect(c.classify([0.3, 0.6])).toBe("invalid"); // the fail point itself
    expect(c.classify([0.45, 0.55])).toBe("invalid");
    expect(c.classify([0.25, 0.65])).toBe("uncertain");
    expect(c.classify([0.45, 0.95])).toBe("uncertain");
    expect(c.classify({ "heading.l1Error": 0.05, "lanes.iou": 0.99 })).toBe("valid");
  });

  it("computes the classified area exactly", () => {
    // pass staircase: [0,0.4]×[0,0.6] ∪ [0,0.8]×[0,0.2] = 0.24 + 0.4·0.2 = 0.32; fail: 0.4·0.2 = 0.08
    expect(c.classifiedFraction()).toBeCloseTo(0.4, 12);
  });

  it("treats a non-monotone outcome as uncertain and discounts it from the classified area", () => {
    const d = new Constraints(axes).add([0.25, 0.5], true).add([0.125, 0.75], false);
    // unit: pass (0.5, 1), fail (0.25, 0.5) → both claim [0.25,0.5]×[0.5,1]
    expect(d.classify([0.2, 0.6])).toBe("uncertain");
    expect(d.classify([0.05, 0.9])).toBe("valid");
    expect(d.classifiedFraction()).toBeCloseTo(0.5 + 0.375 - 2 * 0.125, 12);
  });

  it("round-trips through JSON and validates it", () => {
    const back = Constraints.fromJSON(JSON.parse(JSON.stringify(c)));
    expect(back.toJSON()).toEqual(c.toJSON());
    expect(back.points[2].hash).toBe("h1");
    expect(back.classify([0.25, 0.65])).toBe("uncertain");
    expect(() => Constraints.fromJSON({ version: 1, axes, points: [{ point: [1], pass: "yes" }] }, "c.json")).toThrow(
      /c.json: points\[0\].pass/,
    );
  });

  it("rejects bad axes and points", () => {
    expect(() => new Constraints([{ name: "x", direction: "lower-better", best: 1, worst: 0 }])).toThrow(/worst > best/);
    expect(() => new Constraints([axes[0], axes[0]])).toThrow(/distinct/);
    expect(() => c.classify([0.1])).toThrow(InputError);
    expect(() => c.classify({ "heading.l1Error": 0.1 })).toThrow(/missing axis "lanes.iou"/);
  });
});

describe("volumes", () => {
  it("matches Monte Carlo estimates in 3-D", () => {
    const rng = new Random(5);
    const pts = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next()]);
    const boxes = Array.from({ length: 6 }, () => {
      const lo = [rng.uniform(0, 0.6), rng.uniform(0, 0.6), rng.uniform(0, 0.6)];
      return { lo, hi: lo.map((v) => v + rng.uniform(0.1, 0.4)) };
    });
    let inDown = 0;
    let inUnion = 0;
    const samples = 200_000;
    for (let s = 0; s < samples; s++) {
      const x = [rng.next(), rng.next(), rng.next()];
      if (pts.some((p) => x.every((v, i) => v <= p[i]))) inDown++;
      if (boxes.some((b) => x.every((v, i) => v >= b.lo[i] && v <= b.hi[i]))) inUnion++;
    }
    expect(downSetVolume(pts, 3)).toBeCloseTo(inDown / samples, 2);
    expect(unionVolume(boxes, 3)).toBeCloseTo(inUnion / samples, 2);
  });

  it("keeps only maximal points", () => {
    expect(
      maximalPoints([
        [0.1, 0.1],
        [0.5, 0.2],
        [0.2, 0.5],
        [0.4, 0.1],
        [0.5, 0.2],
      ]).sort(),
    ).toEqual([
      [0.2, 0.5],
      [0.5, 0.2],
    ]);
  });
});
