import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Constraints } from "../../index.ts";
import { TSX_IMPORT } from "../fixtures/cliFromSources.ts";
import { tinyZooConfig, writeTinyZoo, type TinyZoo } from "../fixtures/tinyZoo.ts";

const run = promisify(execFile);
const bench = join(import.meta.dirname, "..", "..", "scripts", "bench", "fidelity.ts");

// `--predict-only` compares calibrations without closed-loop runs: what it prints must be the constraints' verdicts.
describe("bench:fidelity --predict-only (tiny zoo)", () => {
  let zoo: TinyZoo;
  let evidence: string;
  beforeAll(async () => {
    zoo = await writeTinyZoo(mkdtempSync(join(tmpdir(), "fidelity-predict-")));
    evidence = join(zoo.dir, "evidence");
    mkdirSync(join(evidence, "cropfollow", "calibration"), { recursive: true });
    writeFileSync(join(evidence, "cropfollow.json"), JSON.stringify(tinyZooConfig(zoo)));
  }, 60_000);
  afterAll(() => rmSync(zoo.dir, { recursive: true, force: true }));

  /** Runs the bench against constraints that pass (or fail) every point at most `limit` on both axes. */
  async function predict(limit: number, pass: boolean, ...args: string[]) {
    const axes = ["heading.l1Error", "distance.l1Error"].map((name) => ({ name, direction: "lower-better" as const, best: 0, worst: 10 }));
    const c = new Constraints(axes).add(pass ? [limit, limit] : [0, 0], pass);
    writeFileSync(join(evidence, "cropfollow", "calibration", "constraints.json"), JSON.stringify(c.toJSON()));
    const json = join(zoo.dir, `predict-${limit}-${pass}.json`);
    const { stdout } = await run(
      process.execPath,
      [
        ...TSX_IMPORT,
        bench,
        "--apps",
        "cropfollow",
        "--evidence",
        evidence,
        "--out",
        join(zoo.dir, "out"),
        "--predict-only",
        "--json",
        json,
        ...args,
      ],
      { timeout: 120_000 },
    );
    return { stdout, metrics: JSON.parse(readFileSync(json, "utf8")) as Record<string, number> };
  }

  it("classifies every single level by the constraints, and every named combination", async () => {
    // Two backbones × (original + 2 levels) per network; the first backbone's original is the reference.
    const all = await predict(10, true);
    expect(all.metrics).toEqual({
      "fidelity.cropfollow.classified.valid": 10,
      "fidelity.cropfollow.classified.invalid": 0,
      "fidelity.cropfollow.classified.uncertain": 0,
      "fidelity.cropfollow.points": 10,
    });
    expect(all.stdout).toMatch(/heading\/narrow\/prune-2\s+[\d.]+, [\d.]+\s+valid/);
    expect(all.stdout).not.toMatch(/real|injected/);
    const none = await predict(0, false, "--backbones", "wide", "--combos", "diagonal,1:2");
    expect(none.metrics).toEqual({
      "fidelity.cropfollow.combos.classified.valid": 0,
      "fidelity.cropfollow.combos.classified.invalid": 3,
      "fidelity.cropfollow.combos.classified.uncertain": 0,
      "fidelity.cropfollow.combos.points": 3,
    });
    expect(none.stdout).toMatch(/heading\/wide\/prune-1 \+ distance\/wide\/prune-2\s+[\d.]+, [\d.]+\s+invalid/);
  }, 240_000);

  it("takes a backbone per network, so a combination may pair two backbones", async () => {
    const mixed = await predict(10, true, "--backbones", "heading=narrow,distance=wide", "--combos", "1:0,2:2");
    expect(mixed.metrics["fidelity.cropfollow.combos.classified.valid"]).toBe(2);
    expect(mixed.stdout).toMatch(/heading\/narrow\/prune-1 \+ distance\/wide\S*\s+[\d.]+, [\d.]+\s+valid/);
    expect(mixed.stdout).toMatch(/heading\/narrow\/prune-2 \+ distance\/wide\/prune-2\s/);
    await expect(predict(10, true, "--backbones", "steering=wide")).rejects.toThrow(
      /--backbones: "steering=wide" names no network of the config \(heading, distance\)/,
    );
    await expect(predict(10, true, "--backbones", "heading=")).rejects.toThrow(
      /--backbones: expected <backbone> or <network>=<backbone>, got "heading="/,
    );
    // A network named neither way keeps all its backbones, which a combination cannot choose between.
    await expect(predict(10, true, "--backbones", "heading=narrow", "--combos", "1:1")).rejects.toThrow(
      /--combos: distance has several backbones/,
    );
  }, 240_000);

  it("needs the calibration's error families to judge with runs, and names the missing file", async () => {
    // Constraints alone classify; injecting errors needs what the calibration injected.
    const axes = ["heading.l1Error", "distance.l1Error"].map((name) => ({ name, direction: "lower-better" as const, best: 0, worst: 10 }));
    writeFileSync(join(evidence, "cropfollow", "calibration", "constraints.json"), JSON.stringify(new Constraints(axes).toJSON()));
    await expect(
      run(process.execPath, [...TSX_IMPORT, bench, "--apps", "cropfollow", "--evidence", evidence, "--out", join(zoo.dir, "out")], {
        timeout: 120_000,
      }),
    ).rejects.toThrow(/cropfollow[/\\]calibration[/\\]error-distribution\.json: no such file/);
  }, 240_000);
});
