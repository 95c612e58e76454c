/**
 * A throwaway application (test/fixtures/rowHeadingApplication.ts), defined
 * and registered only in the test folder, runs through the `run`,
 * `calibrate` and `optimize` commands like the built-in ones — its QoS runs
 * on worker threads that load its spec by module URL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register as registerCalibrate } from "../../scripts/commands/calibrate.ts";
import { register as registerOptimize } from "../../scripts/commands/optimize.ts";
import { register as registerRun } from "../../scripts/commands/run.ts";
import { applicationNames, Constraints, getApplication, loadModel, loadWorldPreset, writeModel, type OptimizeReport } from "../../index.ts";
import { rowHeadingApplication } from "../fixtures/rowHeadingApplication.ts";
import { runCommand } from "../fixtures/runCommand.ts";
import { writeSyntheticRowDataset } from "../fixtures/syntheticRowDataset.ts";
import { tinyNet } from "../fixtures/tuningFixtures.ts";

const H = 24;
const W = 32;

describe("an application registered from a test file", () => {
  let dir: string;
  let world: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "app-spec-"));
    // A short field keeps each closed-loop run to a few simulated seconds.
    world = join(dir, "short-row.json");
    writeFileSync(
      world,
      JSON.stringify({ ...loadWorldPreset("cropfield-straight"), name: "short-row", rows: { count: 4, spacing: 0.76, length: 5 } }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is in the registry next to the built-in applications", () => {
    expect(applicationNames()).toEqual(expect.arrayContaining(["cropfollow", "gem", "row-heading"]));
    expect(getApplication("row-heading")).toBe(rowHeadingApplication);
  });

  it("runs through `approxcaliper run` on a worker thread, with its own defaults", async () => {
    const out = join(dir, "run");
    const args = [
      "--pipeline",
      "row-heading",
      "--world",
      world,
      "--perception",
      "injected",
      "--heading-std",
      "0.02",
      "--seeds",
      "2",
      "--workers",
      "1",
      "--out",
      out,
    ];
    const stdout = await runCommand(registerRun, "run", args);
    expect(stdout).toContain("row-heading on");
    expect(stdout).toContain("5 FPS");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
      pipeline: string;
      pass: boolean;
      perSeed: { completed: boolean; collisions: number }[];
    };
    expect(summary.pipeline).toBe("row-heading");
    expect(summary.perSeed).toHaveLength(2);
    expect(summary.perSeed.every((s) => s.completed && s.collisions === 0)).toBe(true);
    expect(summary.pass).toBe(true);
    expect(readFileSync(join(out, "seed-1", "trajectory.jsonl"), "utf8").split("\n").length).toBeGreaterThan(10);
    await expect(
      runCommand(registerRun, "run", ["--pipeline", "row-heading", "--world", "gem-track", "--out", join(dir, "bad")]),
    ).rejects.toThrow(/row-heading pipeline needs a cropfield world/);
    await expect(
      runCommand(registerRun, "run", ["--pipeline", "row-heading", "--perception", "injected", "--lane-error", "{}", "--out", join(dir, "bad")]),
    ).rejects.toThrow(/--lane-error/);
  });

  it("calibrates through `approxcaliper calibrate` with its closed-form error family", async () => {
    const out = join(dir, "calibrate");
    const stdout = await runCommand(registerCalibrate, "calibrate", [
      "--pipeline",
      "row-heading",
      "--world",
      world,
      "--iters",
      "3",
      "--seeds",
      "1",
      "--workers",
      "1",
      "--out",
      out,
    ]);
    expect(stdout).toContain("heading.l1Error: zero-mean Gaussian");
    const constraints = Constraints.fromJSON(JSON.parse(readFileSync(join(out, "constraints.json"), "utf8")), "constraints.json");
    expect(constraints.axes.map((a) => [a.name, a.best, a.worst])).toEqual([["heading.l1Error", 0, 0.3]]);
    expect(constraints.points).toHaveLength(3);
    // Exact heading passes, 0.3 rad of mean absolute error fails: the search found both sides.
    expect(constraints.passPoints.length).toBeGreaterThan(0);
    expect(constraints.failPoints.length).toBeGreaterThan(0);
  });

  it("optimizes its network through `approxcaliper optimize`", async () => {
    await writeSyntheticRowDataset(join(dir, "data"), W, H);
    await writeModel(tinyNet(11, 16, [3, H, W]), join(dir, "heading.onnx"));
    const axes = [{ name: "heading.l1Error", direction: "lower-better", best: 0, worst: 10 }];
    writeFileSync(join(dir, "constraints.json"), JSON.stringify({ version: 1, axes, points: [{ point: [10], pass: false }] }));
    const config = join(dir, "optimize.json");
    writeFileSync(
      config,
      JSON.stringify({
        models: { heading: "heading.onnx" },
        dataset: { dir: "data" },
        approximators: [{ method: "prune", nSteps: 1, pruneFraction: 0.5 }],
        constraints: "constraints.json",
        seeds: [2],
        latencyRuns: 3,
        world,
        // A random CNN steers badly: a lenient goal keeps this about the plumbing.
        target: { collisions: 1000, completed: false },
        run: { maxTime: 2 },
        workers: 1,
      }),
    );
    const out = join(dir, "optimized");
    const stdout = await runCommand(registerOptimize, "optimize", ["--pipeline", "row-heading", "--config", config, "--out", out]);
    expect(stdout).toMatch(/QoS runs: \d+ \(\+\d+ verification\) instead of 2 for an exhaustive search/);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as OptimizeReport;
    expect(report.candidates.map((c) => c.id)).toEqual(["heading/original-0", "heading/prune-1"]);
    expect(report.chosen).toBeDefined();
    const m = await loadModel(report.chosen!.files.heading);
    expect(m.inputShape).toEqual([1, 3, H, W]);
    await m.dispose();
    await expect(
      runCommand(registerOptimize, "optimize", ["--pipeline", "row-heading", "--config", join(dir, "missing.json"), "--out", join(dir, "x")]),
    ).rejects.toThrow(/missing\.json/);
  });
});
