import { afterAll, describe, expect, it } from "vitest";
import {
  CropFollowQoS,
  errorCalibrate,
  ErrorMetric,
  findErrorDistribution,
  l1Error,
  Random,
  type ErrorSample,
  type ModelRunner,
} from "../../../index.ts";

/** Gaussian error samples of one NN at several spreads: the family maps L1 level → std ≈ 1.25·level. */
function gaussianSamples(nn: string, rng: Random): ErrorSample[] {
  return [0.02, 0.1, 0.2, 0.35].map((sigma) => {
    const labels = new Float32Array(4000);
    const predictions = labels.map(() => rng.normal(0, sigma));
    let l1 = 0;
    for (const e of predictions) l1 += Math.abs(e);
    return { nn, level: l1 / labels.length, predictions, labels };
  });
}

describe("error calibration of CropFollow on cropfield-straight (real closed loop)", () => {
  const oracle = new CropFollowQoS({ world: "cropfield-straight", workers: 2 });
  afterAll(() => oracle.close());

  it("finds budgets that spot checks through the pipeline confirm", async () => {
    const rng = new Random(1);
    const nns: ModelRunner[] = ["heading", "distance"].map((name) => ({ name, run: () => Promise.reject(new Error("not run")) }));
    const errorDist = findErrorDistribution.fromSamples([...gaussianSamples("heading", rng), ...gaussianSamples("distance", rng)], {
      metrics: { heading: "l1Error", distance: "l1Error" },
    });
    const metrics = nns.map((nn) => new ErrorMetric(nn, l1Error));
    const seeds = [1, 2];
    const constraints = await errorCalibrate(nns, errorDist, metrics, oracle, {
      iters: 6,
      precision: 0.1,
      seeds,
      bounds: [
        [0, 0.25],
        [0, 0.25],
      ],
    });
    expect(constraints.points).toHaveLength(6);
    const pass = constraints.passPoints;
    const fail = constraints.failPoints;
    expect(pass.length).toBeGreaterThan(0);
    expect(fail.length).toBeGreaterThan(0);
    // A point well inside the valid region and one well inside the invalid region, run directly.
    const loosest = pass.reduce((a, b) => (a.point[0] + a.point[1] >= b.point[0] + b.point[1] ? a : b)).point.map((v) => 0.7 * v);
    const tightest = fail
      .reduce((a, b) => (a.point[0] + a.point[1] <= b.point[0] + b.point[1] ? a : b))
      .point.map((v) => Math.min(0.25, 1.3 * v));
    expect(constraints.classify(loosest)).toBe("valid");
    expect(constraints.classify(tightest)).toBe("invalid");
    const direct = async (point: number[]) =>
      (await oracle.evaluate(errorDist.injectionAt({ heading: point[0], distance: point[1] }), { seeds })).pass;
    expect(await direct(loosest)).toBe(true);
    expect(await direct(tightest)).toBe(false);
  });
});
