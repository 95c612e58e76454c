import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TuningConfigSchema, type EvidenceReport } from "../../index.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";
import { tinyZooConfig, writeTinyZoo, type TinyZoo } from "../fixtures/tinyZoo.ts";

const run = promisify(execFile);

describe("approxcaliper evidence (tiny zoo, two backbones per network)", () => {
  let zoo: TinyZoo;
  let config: string;
  beforeAll(async () => {
    zoo = await writeTinyZoo(mkdtempSync(join(tmpdir(), "evidence-")));
    config = join(zoo.dir, "cropfollow.json");
    writeFileSync(
      config,
      JSON.stringify(tinyZooConfig(zoo, { agnostic: { reference: "narrow", variants: [0.01] }, unguided: { maxQosRuns: 3 }, latencyRuns: 3 })),
    );
  }, 60_000);
  afterAll(() => rmSync(zoo.dir, { recursive: true, force: true }));

  it("calibrates, tunes guided and unguided, verifies, and writes the side-by-side reports and metrics", async () => {
    const out = join(zoo.dir, "out");
    const json = join(zoo.dir, "evidence.json");
    const { stdout } = await run(process.execPath, [...CLI_FROM_SOURCES, "evidence", `cropfollow=${config}`, "--out", out, "--json", json], {
      timeout: 170_000,
    });
    expect(stdout).toMatch(/evidence\.cropfollow\.qosRuns\.guided\s+\d+/);
    const metrics = JSON.parse(readFileSync(json, "utf8")) as Record<string, number | boolean>;
    for (const key of [
      "speedupVsAgnostic",
      "sizeReductionVsAgnostic",
      "utilizationReductionVsAgnostic",
      "qosRuns.guided",
      "qosRuns.unguided",
      "verificationRuns.guided",
      "verificationRuns.unguided",
      "guidedEqualsUnguided",
      "verification.passRate",
    ])
      expect(metrics).toHaveProperty(`evidence.cropfollow.${key}`);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as EvidenceReport;
    const a = report.applications[0];
    // Disjoint seed sets, and the report says which ran where.
    expect(a.seeds).toEqual({ calibration: [0], tuning: [1], verification: [2] });
    expect(a.worlds).toEqual({ calibration: "cropfield-straight", tuning: "cropfield-straight", verification: ["cropfield-straight"] });
    // Backbone × level candidates: 2 backbones × (original + 2 levels) per network.
    expect(a.candidates).toEqual([
      { nn: "heading", backbone: "wide", count: 3 },
      { nn: "heading", backbone: "narrow", count: 3 },
      { nn: "distance", backbone: "wide", count: 3 },
      { nn: "distance", backbone: "narrow", count: 3 },
    ]);
    expect(a.combinations).toBe(36);
    expect(a.agnostic).toMatchObject({ reference: "narrow", tolerance: 0 });
    expect(a.agnosticVariants.map((v) => v.tolerance)).toEqual([0, 0.01]);
    // Everything passes the lenient goal: the unguided walk stops at its first combination, verified like the guided choice, and the guided search agrees.
    expect(a.unguided).toMatchObject({ qosRuns: 1, verificationRuns: 1, capped: false });
    expect(a.guidedEqualsUnguided).toBe(true);
    expect(a.verification).toMatchObject({ pass: true, runs: 1, passedRuns: 1, passRate: 1 });
    // A fixed goal's verdict rests on its seeds: one closed-loop run per verdict here.
    expect(a.goal).toEqual({ collisions: 1000, completed: false });
    expect(a.closedLoopRuns).toEqual({
      calibration: a.calibration.evaluations,
      guided: a.guided.qosRuns,
      guidedVerification: a.guided.verificationRuns,
      unguided: 1,
      unguidedVerification: 1,
    });
    expect(metrics["evidence.cropfollow.closedLoopRuns.unguided"]).toBe(1);
    expect(a.vsAgnostic!.speedup.median).toBeGreaterThan(0);
    expect(Object.keys(a.vsAgnostic!.byNn)).toEqual(["heading", "distance"]);
    const summary = readFileSync(join(out, "summary.md"), "utf8");
    expect(summary).toContain("| CropFollow: pipeline FPS speed-up over the agnostic choice |");
    expect(summary).toMatch(
      /\| CropFollow: QoS runs, guided vs unguided \| \d+ \(\+\d+ verification\) vs 1 \(\+1 verification\) \| ~30 vs ~50 \|/,
    );
    expect(summary).toContain("calibration [0] on cropfield-straight; tuning [1]");
    expect(summary).toContain("Goal: a run passes with ≤ 1000 collisions; a configuration passes when every seed passes.");
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("5.3×");
    expect(existsSync(join(out, "cropfollow", "calibration", "constraints.json"))).toBe(true);
    expect(existsSync(join(out, "cropfollow", "calibration", "error-families-by-backbone.json"))).toBe(true);
    expect(existsSync(join(out, "cropfollow", "tuning", "report.html"))).toBe(true);
  }, 180_000);

  it("fails with one line naming the application, the file or the config field", async () => {
    const fail = async (args: string[]) => {
      const r = await run(process.execPath, [...CLI_FROM_SOURCES, "evidence", ...args], { timeout: 60_000 }).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      return r.stderr;
    };
    const out = join(zoo.dir, "bad-out");
    expect(await fail([`tractor=${config}`, "--out", out])).toMatch(/approxcaliper: <application=config> "tractor=.*unknown/i);
    expect(await fail(["cropfollow=nope.json", "--out", out])).toMatch(/no such file: nope\.json/);
    const bad = join(zoo.dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), agnostic: { reference: "vgg" } }));
    expect(await fail([`cropfollow=${bad}`, "--out", out])).toMatch(/bad\.json: agnostic\.reference: "vgg" is not a backbone of heading/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe("the committed evidence configs", () => {
  it("are valid tuning configs naming each zoo model with its own level summary and the DarkNet reference", () => {
    for (const app of ["cropfollow", "gem"]) {
      const json = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "evidence", `${app}.json`), "utf8")) as {
        models: Record<string, Record<string, { model: string; levels: string }>>;
      };
      const config = TuningConfigSchema.parse(json);
      expect(config.agnostic).toMatchObject({ reference: "darknet", tolerance: 0, variants: [0.01, 0.02] });
      for (const [nn, backbones] of Object.entries(json.models)) {
        expect(Object.keys(backbones)).toContain("darknet");
        for (const [name, b] of Object.entries(backbones)) {
          expect(b.model).toBe(`../models/zoo/${nn}-${name}.onnx`);
          expect(b.levels).toBe(`../models/zoo/${nn}-${name}.levels.json`);
        }
      }
    }
  });
});
