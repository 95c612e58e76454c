import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Constraints, errorCalibrate, ErrorMetric, findErrorDistribution, InputError, l2Error, type EvaluationRecord } from "../../../index.ts";
import { quarterDisk, simplex, syntheticAxes, syntheticSetup, SyntheticOracle } from "../../fixtures/calibrationOracles.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "calibrate-"));
const records = (path: string): EvaluationRecord[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

/** The setup of test/fixtures/calibrateChild.ts. */
const AXES = syntheticAxes(2, [0.5, 2]);
const OPTIONS = { iters: 60, precision: 0.03, seeds: 2 };

describe("errorCalibrate", () => {
  it("finds the boundary through the error distribution, passing seeds and workers to the oracle", async () => {
    const axes = syntheticAxes(3);
    const { nns, errorDist, metrics } = syntheticSetup(axes);
    const oracle = new SyntheticOracle(axes, simplex(1));
    const seen: { seeds: number[]; workers?: number }[] = [];
    const evaluate = oracle.evaluate.bind(oracle);
    oracle.evaluate = (inj, opts) => (seen.push(opts), evaluate(inj, opts));
    const reports: { evaluations: number }[] = [];
    const c = await errorCalibrate(nns, errorDist, metrics, oracle, {
      iters: 300,
      precision: 0.05,
      seeds: [11, 12],
      workers: 2,
      onReport: (r) => reports.push(r),
    });
    expect(c.axes.map((a) => a.name)).toEqual(["a0.l1Error", "a1.l1Error", "a2.l1Error"]);
    expect(c.points.length).toBe(oracle.calls.length);
    expect(reports[0].evaluations).toBe(oracle.calls.length);
    expect(seen.every((o) => o.workers === 2 && o.seeds.join() === "11,12")).toBe(true);
    expect(c.classify([0.2, 0.2, 0.2])).toBe("valid");
    expect(c.classify([0.5, 0.5, 0.5])).toBe("invalid");
    expect(c.classifiedFraction()).toBeGreaterThan(0.85);
  });

  it("continues a finished run from its checkpoint without repeating an evaluation", async () => {
    // The checkpoint's folder is created on first use.
    const path = join(tmp(), "not-yet", "evaluations.jsonl");
    const { nns, errorDist, metrics } = syntheticSetup(AXES);
    const first = new SyntheticOracle(AXES, quarterDisk(0.7));
    await errorCalibrate(nns, errorDist, metrics, first, { ...OPTIONS, iters: 20, checkpoint: path });
    expect(records(path)).toHaveLength(20);
    const second = new SyntheticOracle(AXES, quarterDisk(0.7));
    const c = await errorCalibrate(nns, errorDist, metrics, second, { ...OPTIONS, iters: 30, checkpoint: path });
    expect(second.calls).toHaveLength(10);
    expect(c.points).toHaveLength(30);
    expect(records(path)).toHaveLength(30);
    // Another oracle configuration never reuses these outcomes.
    const other = new SyntheticOracle(AXES, quarterDisk(0.7), 0, "other-world");
    await errorCalibrate(nns, errorDist, metrics, other, { ...OPTIONS, iters: 5, checkpoint: path });
    expect(other.calls).toHaveLength(5);
  });

  it("drops a last line cut short by a kill and rejects a corrupt middle line", async () => {
    const path = join(tmp(), "evaluations.jsonl");
    const { nns, errorDist, metrics } = syntheticSetup(AXES);
    await errorCalibrate(nns, errorDist, metrics, new SyntheticOracle(AXES, quarterDisk(0.7)), { ...OPTIONS, iters: 10, checkpoint: path });
    const full = readFileSync(path, "utf8");
    writeFileSync(path, full.slice(0, full.length - 20));
    const oracle = new SyntheticOracle(AXES, quarterDisk(0.7));
    const c = await errorCalibrate(nns, errorDist, metrics, oracle, { ...OPTIONS, iters: 10, checkpoint: path });
    expect(oracle.calls).toHaveLength(1);
    expect(c.points).toHaveLength(10);
    expect(readFileSync(path, "utf8")).toBe(full);

    const lines = full.split("\n");
    lines[3] = lines[3].slice(0, 10);
    writeFileSync(path, lines.join("\n"));
    await expect(errorCalibrate(nns, errorDist, metrics, oracle, { ...OPTIONS, checkpoint: path })).rejects.toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4: not an evaluation record`),
    );
  });

  it("resumes after SIGKILL with the same result and no evaluation repeated", async () => {
    const { nns, errorDist, metrics } = syntheticSetup(AXES);
    const reference = new SyntheticOracle(AXES, quarterDisk(0.7));
    const uninterrupted = await errorCalibrate(nns, errorDist, metrics, reference, OPTIONS);
    expect(reference.calls).toHaveLength(OPTIONS.iters);

    const path = join(tmp(), "evaluations.jsonl");
    const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/calibrateChild.ts", path, "40", String(OPTIONS.iters)], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!(existsSync(path) && records(path).length >= 8)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not get going: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill("SIGKILL");
    await exited;
    const before = records(path);
    expect(before.length).toBeGreaterThanOrEqual(8);
    expect(before.length).toBeLessThan(OPTIONS.iters);

    const resumedOracle = new SyntheticOracle(AXES, quarterDisk(0.7));
    const resumed = await errorCalibrate(nns, errorDist, metrics, resumedOracle, { ...OPTIONS, checkpoint: path });
    expect(resumed.toJSON()).toEqual(uninterrupted.toJSON());
    expect(before.length + resumedOracle.calls.length).toBe(reference.calls.length);
    const done = new Set(before.map((r) => r.point.join()));
    expect(resumedOracle.calls.some((p) => done.has(p.join()))).toBe(false);
    const after = records(path);
    expect(after).toHaveLength(OPTIONS.iters);
    expect(new Set(after.map((r) => r.key)).size).toBe(OPTIONS.iters);
  });

  it("checks that the metrics match the NNs and their error families", async () => {
    const { nns, errorDist, metrics } = syntheticSetup(AXES);
    const oracle = new SyntheticOracle(AXES, quarterDisk(0.7));
    await expect(errorCalibrate(nns, errorDist, [new ErrorMetric(nns[0], l2Error)], oracle)).rejects.toThrow(/indexed by l1Error, not l2Error/);
    await expect(errorCalibrate([nns[0]], errorDist, metrics, oracle)).rejects.toThrow(/model "a1" is not among the NNs/);
    await expect(errorCalibrate(nns, errorDist, [metrics[0], metrics[0]], oracle)).rejects.toThrow(/already has a metric/);
    const single = findErrorDistribution.fromSamples([
      { nn: "a0", level: 0.1, predictions: new Float32Array([1]), labels: new Float32Array([0.9]) },
    ]);
    await expect(errorCalibrate(nns, single, [metrics[0]], oracle)).rejects.toThrow(InputError);
    const oneAxis = new SyntheticOracle(syntheticAxes(1), quarterDisk(0.7));
    const c = await errorCalibrate(nns, single, [metrics[0]], oneAxis, { iters: 3, bounds: [[0, 1]] });
    expect(c).toBeInstanceOf(Constraints);
    expect(c.axes[0]).toMatchObject({ best: 0, worst: 1 });
  });
});

describe("errorCalibrate with application knobs", () => {
  it("searches a knob as an extra axis and hands its value to the oracle", async () => {
    const axes = syntheticAxes(1);
    const { nns, errorDist, metrics } = syntheticSetup(axes);
    // Truth: passes when the NN's level (the identity family's std) plus the rate deficit (20 − fps)/15 stays ≤ 0.8.
    const seen: Record<string, number>[] = [];
    const oracle = {
      id: "knob-oracle",
      async evaluate(injection: Parameters<SyntheticOracle["evaluate"]>[0], opts: { seeds: number[]; knobs?: Record<string, number> }) {
        seen.push(opts.knobs!);
        const level = (injection[nns[0].name] as { std: number[] }).std[0];
        return { pass: level + (20 - opts.knobs!.fps) / 15 <= 0.8, hash: JSON.stringify([injection, opts.knobs]) };
      },
    };
    const c = await errorCalibrate(nns, errorDist, metrics, oracle, {
      iters: 80,
      precision: 0.05,
      seeds: 1,
      knobs: [{ name: "fps", best: 20, worst: 5 }],
    });
    expect(c.axes.map((a) => a.name)).toEqual([metrics[0].name, "fps"]);
    expect(c.axes[1].direction).toBe("higher-better");
    // The first evaluation probes the knob's worst setting with the NN at its best level.
    expect(seen[0]).toEqual({ fps: 5 });
    expect(c.points[0].point[0]).toBeCloseTo(c.axes[0].best, 12);
    expect(c.points[0].pass).toBe(false);
    expect(seen.every((k) => k.fps >= 5 && k.fps <= 20)).toBe(true);
    expect(c.classify([0.1, 20])).toBe("valid");
    expect(c.classify([0.1, 5])).toBe("invalid");
    expect(c.classify([0.75, 17])).toBe("invalid");
  });

  it("treats an uncertain verdict as a fail, records it, and replays it from the checkpoint with knobs", async () => {
    const axes = syntheticAxes(1);
    const { nns, errorDist, metrics } = syntheticSetup(axes);
    // Truth: passes when level + (20 − fps)/15 ≤ 0.5; points within 0.15 of the boundary stay undecided, as a
    // rate goal's sequential test would leave a configuration whose rate is near the goal's.
    let calls = 0;
    const oracle = {
      id: "uncertain-oracle",
      async evaluate(injection: Parameters<SyntheticOracle["evaluate"]>[0], opts: { seeds: number[]; knobs?: Record<string, number> }) {
        calls++;
        const margin = 0.5 - (injection[nns[0].name] as { std: number[] }).std[0] - (20 - opts.knobs!.fps) / 15;
        const uncertain = Math.abs(margin) < 0.15;
        return { pass: !uncertain && margin >= 0, ...(uncertain ? { uncertain } : {}), hash: JSON.stringify([injection, opts.knobs]) };
      },
    };
    const checkpoint = join(tmp(), "evaluations.jsonl");
    const options = { iters: 30, precision: 0.05, seeds: 1, knobs: [{ name: "fps", best: 20, worst: 5 }], checkpoint };
    const first = await errorCalibrate(nns, errorDist, metrics, oracle, options);
    const log = records(checkpoint);
    expect(log.some((r) => r.uncertain === true && r.pass === false)).toBe(true);
    // Never valid where the truth is undecided or failing.
    for (const r of log.filter((x) => x.uncertain)) expect(first.classify(r.point)).toBe("invalid");
    const before = calls;
    const again = await errorCalibrate(nns, errorDist, metrics, oracle, options);
    expect(calls).toBe(before);
    expect(again.toJSON()).toEqual(first.toJSON());
  });

  it("rejects a knob named like a metric axis", async () => {
    const axes = syntheticAxes(1);
    const { nns, errorDist, metrics } = syntheticSetup(axes);
    const oracle = new SyntheticOracle(axes, quarterDisk(0.7));
    await expect(errorCalibrate(nns, errorDist, metrics, oracle, { knobs: [{ name: metrics[0].name, best: 1, worst: 0 }] })).rejects.toThrow(
      /has the name of a metric axis/,
    );
  });
});
