import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Constraints, writeModel } from "../../index.ts";
import { tinyNet } from "../fixtures/tuningFixtures.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";
import { writeSyntheticRowDataset } from "../fixtures/syntheticRowDataset.ts";

const run = promisify(execFile);

const calibrateCli = (args: string[]) => run(process.execPath, [...CLI_FROM_SOURCES, "calibrate", ...args], { timeout: 40_000 });

function readConstraints(dir: string): Constraints {
  return Constraints.fromJSON(JSON.parse(readFileSync(join(dir, "constraints.json"), "utf8")), "constraints.json");
}

function checkpointLines(dir: string): { point: number[]; detail: { perSeed: { seed: number }[] } }[] {
  return readFileSync(join(dir, "evaluations.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { point: number[]; detail: { perSeed: { seed: number }[] } });
}

describe("approxcaliper calibrate without a config (closed-form error families)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "calibrate-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cropArgs = (out: string, iters: number) => [
    "--pipeline",
    "cropfollow",
    "--world",
    "cropfield-straight",
    "--metrics",
    "heading:l1,distance:l1",
    "--iters",
    `${iters}`,
    "--seeds",
    "2",
    "--out",
    out,
  ];

  it("calibrates CropFollow on injected Gaussian errors and writes constraints, checkpoint and boundary plot", async () => {
    const out = join(dir, "crop");
    const { stdout, stderr } = await calibrateCli(cropArgs(out, 4));
    expect(stdout).toContain("heading.l1Error: zero-mean Gaussian");
    expect(stdout).toMatch(/^4 QoS evaluations: \d pass, \d fail/m);
    // Not a terminal: one plain progress line per evaluation, with an ETA once one has been timed.
    const lines = stderr.split("\n").filter((l) => l.startsWith("["));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[1\/4\] (pass|fail) at \[0\.175, 0\.1\] \(ETA [\d.]+ (s|min)/);
    const constraints = readConstraints(out);
    expect(constraints.axes.map((a) => a.name)).toEqual(["heading.l1Error", "distance.l1Error"]);
    expect(constraints.points).toHaveLength(4);
    const checkpoint = checkpointLines(out);
    expect(checkpoint).toHaveLength(4);
    expect(checkpoint[0].detail.perSeed.map((s) => s.seed)).toEqual([0, 1]);
    expect(readFileSync(join(out, "boundary.svg"), "utf8")).toMatch(/^<svg/);
    expect(existsSync(join(out, "error-distribution.json"))).toBe(true);
  }, 40_000);

  it("resumes from evaluations.jsonl without repeating an evaluation", async () => {
    const out = join(dir, "crop");
    const before = readConstraints(out).points.map((p) => p.point);
    const { stdout, stderr } = await calibrateCli(cropArgs(out, 6));
    expect(stdout).toContain(`resumed from ${join(out, "evaluations.jsonl")}: 4 evaluations replayed, 2 new`);
    expect(stderr.split("\n").filter((l) => l.endsWith("(replayed)"))).toHaveLength(4);
    const checkpoint = checkpointLines(out);
    expect(checkpoint).toHaveLength(6);
    expect(checkpoint.slice(0, 4).map((e) => e.point)).toEqual(before);
    expect(readConstraints(out).points).toHaveLength(6);
  }, 40_000);

  it("calibrates the GEM with the perception rate as an extra axis", async () => {
    const out = join(dir, "gem");
    await calibrateCli(["--pipeline", "gem", "--metrics", "lanenet:recall", "--fps-axis", "20:5", "--iters", "3", "--seeds", "1", "--out", out]);
    const constraints = readConstraints(out);
    expect(constraints.axes.map((a) => [a.name, a.best, a.worst])).toEqual([
      ["lanenet.recall", 1, 0.2],
      ["fps", 20, 5],
    ]);
    expect(constraints.points).toHaveLength(3);
  }, 40_000);

  it("rejects a bad flag with a one-line message naming it", async () => {
    const fail = async (args: string[]) => {
      const err = (await calibrateCli([...args, "--out", join(dir, "bad")]).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(err.code).toBe(1);
      expect(err.stderr.trim().split("\n")).toHaveLength(1);
      return err.stderr.trim();
    };
    expect(await fail(["--pipeline", "cropfollow", "--metrics", "heading:foo"])).toBe(
      'approxcaliper: --metrics: unknown metric "foo" for heading; expected l1, l2',
    );
    expect(await fail(["--pipeline", "gem", "--metrics", "heading:l1"])).toBe(
      'approxcaliper: --metrics: unknown NN "heading" for the gem pipeline; expected lanenet',
    );
    expect(await fail(["--pipeline", "cropfollow", "--bounds", "heading:0.3:0"])).toMatch(
      /^approxcaliper: --bounds: heading must be best:worst/,
    );
    expect(await fail(["--pipeline", "gem", "--world", "cropfield-straight"])).toMatch(
      /^approxcaliper: --world: the gem pipeline needs a track world/,
    );
    expect(existsSync(join(dir, "bad"))).toBe(false);
  }, 40_000);
});

describe("approxcaliper calibrate --config with overriding flags", () => {
  const H = 24;
  const W = 32;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "calibrate-config-"));
    await writeSyntheticRowDataset(join(dir, "data"), W, H);
    await writeModel(tinyNet(11, 16, [3, H, W]), join(dir, "heading.onnx"));
    await writeModel(tinyNet(12, 16, [3, H, W]), join(dir, "distance.onnx"));
    const config = {
      models: { heading: "heading.onnx", distance: "distance.onnx" },
      dataset: { dir: "data" },
      approximators: [{ method: "prune", nSteps: 2, pruneFraction: 0.5 }],
      calibration: { iters: 12, seeds: 3, errorSequenceRuns: 1 },
      run: { maxTime: 2 },
      workers: 1,
    };
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("measures the error families from the models and takes metrics, budget and seeds from the flags", async () => {
    const out = join(dir, "out");
    const { stdout } = await calibrateCli([
      "--pipeline",
      "cropfollow",
      "--config",
      join(dir, "config.json"),
      "--metrics",
      "distance:l2",
      "--bounds",
      "heading:0:0.3,distance:0:0.2",
      "--iters",
      "2",
      "--seeds",
      "1",
      "--goal",
      '{"collisions":1000,"completed":false}',
      "--out",
      out,
    ]);
    expect(stdout).toContain("measuring error families: prune × 2 on heading, distance");
    const constraints = readConstraints(out);
    expect(constraints.axes.map((a) => [a.name, a.best, a.worst])).toEqual([
      ["heading.l1Error", 0, 0.3],
      ["distance.l2Error", 0, 0.2],
    ]);
    // The goal from --goal cannot fail on 2 s runs: both evaluations pass.
    expect(constraints.points.map((p) => p.pass)).toEqual([true, true]);
    const checkpoint = checkpointLines(out);
    expect(checkpoint).toHaveLength(2);
    expect(checkpoint[0].detail.perSeed.map((s) => s.seed)).toEqual([0]);
    expect(existsSync(join(out, "boundary.svg"))).toBe(true);
    // CropFollow's networks default to the structured family; errorSequenceRuns adds the correlation time, measured on closed-loop runs.
    const families = JSON.parse(readFileSync(join(out, "error-distribution.json"), "utf8")).families;
    for (const nn of ["heading", "distance"]) {
      expect(families[nn].model).toBe("structured");
      expect(Object.keys(families[nn].outputs[0])).toEqual(expect.arrayContaining(["gain", "stdSlope", "tail", "correlationTime", "center"]));
    }
  }, 40_000);
});
