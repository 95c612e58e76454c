import { describe, expect, it } from "vitest";
import {
  calibrationFidelity,
  Constraints,
  ErrorDistribution,
  fidelityCombinations,
  gaussianFamily,
  type Candidate,
  type QosOutcome,
} from "../../../index.ts";

/** An NN `net` with levels whose measured L1 errors are given; the real loop fails above `realLimit`, the injected one above `injLimit`. */
function problem(errors: number[], realLimit: number, injLimit: number, uncertainAt?: number) {
  const candidates: Candidate[] = errors.map((e, level) => ({
    nn: "net",
    approximator: level === 0 ? "original" : "prune",
    level,
    fraction: level / 10,
    metrics: { "net.l1Error": e },
    latencyMs: 1,
    flops: 1,
    params: 1,
    sizeBytes: 1,
    file: `net-${level}.onnx`,
  }));
  const calls: { kind: string; seeds: number[]; knobs?: Record<string, number> }[] = [];
  const outcome = (pass: boolean, uncertain = false): QosOutcome => ({
    pass: pass && !uncertain,
    hash: "h",
    ...(uncertain ? { uncertain } : {}),
  });
  const qos = {
    async evaluate(injection: Record<string, { kind: string; std?: number[] }>, o: { seeds: number[]; knobs?: Record<string, number> }) {
      calls.push({ kind: "injected", ...o });
      const std = injection.net.std![0];
      return outcome(std <= injLimit * Math.sqrt(Math.PI / 2) + 1e-9);
    },
    async evaluateModels(models: Record<string, string>, o: { seeds: number[]; knobs?: Record<string, number> }) {
      calls.push({ kind: "real", ...o });
      const level = Number(/net-(\d+)/.exec(models.net)![1]);
      return outcome(errors[level] <= realLimit, level === uncertainAt);
    },
  };
  const constraints = new Constraints([{ name: "net.l1Error", direction: "lower-better", best: 0, worst: 1 }]);
  const errorsDist = new ErrorDistribution({ net: gaussianFamily("l1Error", ["y"], [0, 1]) });
  return { candidates, constraints, errorsDist, qos, calls };
}

describe("calibrationFidelity", () => {
  it("compares the calibration's prediction, injected errors and the real model at each level's metric", async () => {
    const p = problem([0, 0.1, 0.3, 0.5, 0.7], 0.4, 0.4);
    p.constraints.add([0.2], true).add([0.6], false);
    const r = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, p.qos as never, { seeds: [7, 8], knobs: { fps: 10 } });
    expect(r.points.map((x) => [x.level, x.classified, x.predicted, x.injected, x.real])).toEqual([
      [1, "valid", "pass", "pass", "pass"],
      [2, "uncertain", "pass", "pass", "pass"],
      [3, "uncertain", "fail", "fail", "fail"],
      [4, "invalid", "fail", "fail", "fail"],
    ]);
    expect(r.agreement).toBe(1);
    expect(r.classifiedShare).toBe(0.5);
    expect(p.calls.every((c) => c.seeds.join() === "7,8" && c.knobs?.fps === 10)).toBe(true);
  });

  it("runs injected errors only where the constraints are uncertain when asked, with the same prediction and agreement", async () => {
    const p = problem([0, 0.1, 0.3, 0.5, 0.7], 0.4, 0.4);
    p.constraints.add([0.2], true).add([0.6], false);
    const all = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, p.qos as never, { seeds: [1] });
    p.calls.length = 0;
    const some = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, p.qos as never, {
      seeds: [1],
      injectedEverywhere: false,
    });
    expect(p.calls.filter((c) => c.kind === "injected")).toHaveLength(2);
    expect(some.points.map((x) => [x.level, x.predicted, x.injected, x.real])).toEqual([
      [1, "pass", undefined, "pass"],
      [2, "pass", "pass", "pass"],
      [3, "fail", "fail", "fail"],
      [4, "fail", undefined, "fail"],
    ]);
    expect(some.agreement).toBe(all.agreement);
    expect(some.confusion).toEqual(all.confusion);
    expect(some.injectedAgreement).toBe(1);
    const q = problem([0, 0.1], 0.4, 0.4);
    q.constraints.add([0.2], true);
    const none = await calibrationFidelity([q.candidates], q.constraints, q.errorsDist, q.qos as never, {
      seeds: [1],
      injectedEverywhere: false,
    });
    expect(none.injectedAgreement).toBeUndefined();
  });

  it("counts a real failure the calibration called valid in the dangerous cell", async () => {
    const p = problem([0, 0.1, 0.3, 0.5], 0.2, 0.6);
    p.constraints.add([0.35], true);
    const r = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, p.qos as never, { seeds: [1] });
    expect(r.confusion).toEqual({
      predictedPassRealPass: 1,
      predictedPassRealFail: 2,
      predictedFailRealPass: 0,
      predictedFailRealFail: 0,
      uncertain: 0,
    });
    expect(r.agreement).toBeCloseTo(1 / 3, 12);
    expect(r.injectedAgreement).toBeCloseTo(1 / 3, 12);
  });

  it("never counts an uncertain real verdict as agreeing with a pass", async () => {
    const p = problem([0, 0.1], 0.5, 0.5, 1);
    const r = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, p.qos as never, { seeds: [1] });
    expect(r.points[0].real).toBe("uncertain");
    expect(r.agreement).toBe(0);
    expect(r.confusion.predictedPassRealFail).toBe(1);
  });

  it("names each point's backbone when its NN has several (their levels share numbers)", async () => {
    const p = problem([0, 0.1], 0.5, 0.5);
    const [wide, narrow] = ["wide", "narrow"].map((backbone) => p.candidates.map((c) => ({ ...c, backbone })));
    const r = await calibrationFidelity([[...wide, ...narrow]], p.constraints, p.errorsDist, p.qos as never, { seeds: [1] });
    expect(r.points.map((x) => [x.backbone, x.approximator, x.level])).toEqual([
      ["wide", "prune", 1],
      ["narrow", "original", 0],
      ["narrow", "prune", 1],
    ]);
  });

  it("keeps the runs behind each verdict when the oracle reports them", async () => {
    const p = problem([0, 0.1, 0.3], 0.2, 0.5);
    const real = p.qos.evaluateModels.bind(p.qos);
    const qos = {
      ...p.qos,
      async evaluateModels(models: Record<string, string>, o: { seeds: number[] }) {
        const outcome = await real(models, o);
        return { ...outcome, detail: { runs: 172, passedRuns: outcome.pass ? 170 : 159 } };
      },
    };
    const r = await calibrationFidelity([p.candidates], p.constraints, p.errorsDist, qos as never, { seeds: [1] });
    expect(r.points.map((x) => [x.real, x.realRuns, x.injectedRuns])).toEqual([
      ["pass", { runs: 172, passedRuns: 170 }, undefined],
      ["fail", { runs: 172, passedRuns: 159 }, undefined],
    ]);
  });
});

describe("calibrationFidelity over combinations", () => {
  /** NNs `a` and `b` with levels of the given L1 errors; both loops fail when the two errors together exceed `limit`. */
  function pair(limit: number) {
    const errors = [0, 0.2, 0.4];
    const candidates: Candidate[][] = ["a", "b"].map((nn) =>
      errors.map((e, level) => ({
        nn,
        approximator: level === 0 ? "original" : "prune",
        level,
        fraction: level / 10,
        metrics: { [`${nn}.l1Error`]: e },
        latencyMs: 1,
        flops: 1,
        params: 1,
        sizeBytes: 1,
        file: `${nn}-${level}.onnx`,
      })),
    );
    const seen: string[] = [];
    const qos = {
      async evaluate(injection: Record<string, { std?: number[] }>) {
        const sum = Object.values(injection).reduce((s, i) => s + i.std![0] / Math.sqrt(Math.PI / 2), 0);
        return { pass: sum <= limit + 1e-9, hash: "i" };
      },
      async evaluateModels(models: Record<string, string>) {
        seen.push(Object.values(models).join("+"));
        const sum = Object.values(models).reduce((s, f) => s + errors[Number(/-(\d+)/.exec(f)![1])], 0);
        return { pass: sum <= limit + 1e-9, hash: "r" };
      },
    };
    const constraints = new Constraints(
      ["a", "b"].map((nn) => ({ name: `${nn}.l1Error`, direction: "lower-better" as const, best: 0, worst: 1 })),
    );
    const errorsDist = new ErrorDistribution({
      a: gaussianFamily("l1Error", ["y"], [0, 1]),
      b: gaussianFamily("l1Error", ["y"], [0, 1]),
    });
    return { candidates, constraints, errorsDist, qos, seen };
  }

  it("judges each combination with every NN's model in one loop, where single levels cannot show the joint failure", async () => {
    const p = pair(0.5);
    p.constraints.add([0.4, 0], true).add([0, 0.4], true);
    const singles = await calibrationFidelity(p.candidates, p.constraints, p.errorsDist, p.qos as never, { seeds: [1] });
    expect(singles.points.every((x) => x.real === "pass" && x.combination === undefined)).toBe(true);
    const [a, b] = p.candidates;
    // Without combinations: each approximated model beside the other NNs' originals, the order the points come in.
    const judged = fidelityCombinations(p.candidates);
    expect(judged.map((c) => c.map((m) => `${m.nn}${m.level}`).join("+"))).toEqual(
      singles.points.map((x) => (x.nn === "a" ? `a${x.level}+b0` : `a0+b${x.level}`)),
    );
    expect(judged).toHaveLength(a.length + b.length - 2);
    expect(fidelityCombinations(p.candidates, [[a[2], b[1]]])).toEqual([[a[2], b[1]]]);
    p.seen.length = 0;
    const r = await calibrationFidelity(p.candidates, p.constraints, p.errorsDist, p.qos as never, {
      seeds: [1],
      combinations: [
        [a[1], b[1]],
        [a[2], b[2]],
        [a[0], b[2]],
      ],
    });
    expect(p.seen).toEqual(["a-1.onnx+b-1.onnx", "a-2.onnx+b-2.onnx", "a-0.onnx+b-2.onnx"]);
    expect(r.points.map((x) => [x.point, x.injected, x.real])).toEqual([
      [[0.2, 0.2], "pass", "pass"],
      [[0.4, 0.4], "fail", "fail"],
      [[0, 0.4], "pass", "pass"],
    ]);
    expect(r.points[1].combination).toEqual([
      { nn: "a", approximator: "prune", level: 2 },
      { nn: "b", approximator: "prune", level: 2 },
    ]);
    expect(r.points[2]).toMatchObject({ nn: "b", level: 2 });
  });

  it("refuses a combination that does not give one model per NN, naming it", async () => {
    const p = pair(0.5);
    const [a, b] = p.candidates;
    const run = (combinations: Candidate[][]) =>
      calibrationFidelity(p.candidates, p.constraints, p.errorsDist, p.qos as never, { seeds: [1], combinations });
    await expect(run([[a[1]]])).rejects.toThrow(/combinations\[0\].*one per NN \(2\)/);
    await expect(
      run([
        [a[1], b[1]],
        [a[1], a[2]],
      ]),
    ).rejects.toThrow(/combinations\[1\]\[1\].*model of a, expected one of b/);
    await expect(run([[a[1], { ...b[1], file: undefined }]])).rejects.toThrow(/combinations\[0\]\[1\].*no written model file/);
  });
});
