import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, loadModel, parseTuningConfig, writeModel, type OptimizeReport } from "../../index.ts";
import { tinyNet } from "../fixtures/tuningFixtures.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";
import { writeSyntheticRowDataset } from "../fixtures/syntheticRowDataset.ts";

const run = promisify(execFile);
const H = 24;
const W = 32;

/** Tiny heading/distance CNNs on 32×24 frames, an 8-image dataset and a constraints file. */
async function writeFixtureFiles(dir: string): Promise<void> {
  await writeSyntheticRowDataset(join(dir, "data"), W, H);
  await writeModel(tinyNet(11, 16, [3, H, W]), join(dir, "heading.onnx"));
  await writeModel(tinyNet(12, 16, [3, H, W]), join(dir, "distance.onnx"));
  const axes = [
    { name: "heading.l1Error", direction: "lower-better", best: 0, worst: 10 },
    { name: "distance.l1Error", direction: "lower-better", best: 0, worst: 10 },
  ];
  writeFileSync(join(dir, "constraints.json"), JSON.stringify({ version: 1, axes, points: [{ point: [10, 10], pass: false }] }));
}

const baseConfig = {
  models: { heading: "heading.onnx", distance: "distance.onnx" },
  dataset: { dir: "data" },
  approximators: [{ method: "prune", nSteps: 1, pruneFraction: 0.5 }],
  constraints: "constraints.json",
  // Disjoint from the calibration seeds (0, 1 by default).
  seeds: [2],
  latencyRuns: 3,
  // Random CNNs steer badly: a lenient goal on short runs keeps the smoke test about the plumbing.
  target: { collisions: 1000, completed: false },
  run: { maxTime: 2 },
  workers: 1,
};

describe("approxcaliper optimize", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "optimize-cli-"));
    await writeFixtureFiles(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs a tiny CropFollow config end to end and writes models and reports", async () => {
    const config = join(dir, "config.json");
    writeFileSync(config, JSON.stringify(baseConfig));
    const out = join(dir, "out");
    const { stdout, stderr } = await run(
      process.execPath,
      [...CLI_FROM_SOURCES, "optimize", "--pipeline", "cropfollow", "--config", config, "--out", out],
      { timeout: 60_000 },
    );
    // stderr is a pipe here: each phase's progress as plain lines (the search's total is an upper bound, it may stop early).
    for (const phase of ["measure candidates", "agnostic baseline", "write outputs"]) {
      expect(stderr).toMatch(new RegExp(`^${phase} \\[(\\d+)/\\1 steps\\] in [\\d.]+ s`, "m"));
    }
    expect(stderr).toMatch(/^guided search \[\d+\/4 steps\] .*QoS pass/m);
    expect(stdout).toMatch(/speed-up: [\d.]+× over the original/);
    expect(stdout).toMatch(/QoS runs: \d+ \(\+\d+ verification\) instead of 4 for an exhaustive search/);
    expect(stdout).toContain(`report: ${join(out, "report.html")}`);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as OptimizeReport;
    expect(report.totals.combinations).toBe(4);
    expect(report.candidates.map((c) => c.id)).toEqual(["heading/original-0", "heading/prune-1", "distance/original-0", "distance/prune-1"]);
    expect(report.chosen).toBeDefined();
    for (const file of Object.values(report.chosen!.files)) {
      const m = await loadModel(file);
      expect(m.inputShape).toEqual([1, 3, H, W]);
      await m.dispose();
    }
    expect(existsSync(join(out, "report.html"))).toBe(true);
  }, 60_000);

  it("fails with a one-line error naming the config field", async () => {
    const config = join(dir, "bad.json");
    writeFileSync(config, JSON.stringify({ ...baseConfig, approximators: [{ method: "prune", nSteps: 0, pruneFraction: 0.5 }] }));
    const err = (await run(process.execPath, [
      ...CLI_FROM_SOURCES,
      "optimize",
      "--pipeline",
      "cropfollow",
      "--config",
      config,
      "--out",
      join(dir, "x"),
    ]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr.trim()).toMatch(
      new RegExp(`^approxcaliper: ${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: approximators\\[0\\]\\.nSteps: `),
    );
  });
});

describe("tuning config validation", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "optimize-config-"));
    await writeFixtureFiles(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const where = (patch: Record<string, unknown>): string => {
    try {
      parseTuningConfig({ ...baseConfig, ...patch }, join(dir, "config.json"));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    }
    throw new Error("expected an InputError");
  };

  it("names the field at fault", () => {
    expect(where({ models: {} })).toMatch(/config\.json: models/);
    expect(where({ models: { heading: "nope.onnx", distance: "distance.onnx" } })).toMatch(/models\.heading.*no such file/);
    expect(where({ dataset: { dir: "missing" } })).toMatch(/dataset\.labels.*no such file/);
    expect(where({ approximators: [{ method: "magic", nSteps: 2 }] })).toMatch(/approximators\[0\]\.method/);
    expect(where({ approximators: [{ method: "prune", nSteps: 2, pruneFraction: 1.5 }] })).toMatch(/approximators\[0\]\.pruneFraction/);
    expect(where({ seeds: [] })).toMatch(/config\.json: seeds/);
    expect(where({ objective: "fastest" })).toMatch(/config\.json: objective/);
    expect(where({ metrics: { lanenet: "iou" } })).toMatch(/metrics\.lanenet.*not one of the models/);
    expect(where({ knobs: { fps: [] } })).toMatch(/knobs\.fps/);
    expect(where({ approximators: [{ method: "prune", nSteps: 2, pruneFraction: 0.5, finetune: { epochs: 1 } }] })).toMatch(
      /approximators\[0\]\.finetune.*needs a train dataset/,
    );
    expect(where({ approximators: [{ method: "prune", nSteps: 2, pruneFraction: 0.5, finetune: { epochs: 0 } }] })).toMatch(
      /approximators\[0\]\.finetune\.epochs/,
    );
    expect(where({ train: { dir: "nowhere" } })).toMatch(/train\.labels.*no such file/);
    expect(where({ typo: 1 })).toMatch(/config\.json: \(root\): unknown key "typo"/);
    expect(where({ approximator: [] })).toMatch(/unknown key "approximator" \(did you mean "approximators"\?\)/);
  });

  it("resolves paths against the config file's folder and fills defaults", () => {
    const c = parseTuningConfig({ ...baseConfig, seeds: undefined }, join(dir, "config.json"));
    expect(c.models.heading).toBe(join(dir, "heading.onnx"));
    expect(c.dataset.labels).toBe(join(dir, "data", "labels.json"));
    expect(c.constraints).toBe(join(dir, "constraints.json"));
    expect(c.seeds).toBe(2);
    expect(c.calibration).toMatchObject({ iters: 12, seeds: 2 });
  });
});
