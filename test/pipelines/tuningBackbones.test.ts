import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encodeModel,
  InputError,
  measureCandidate,
  modelOf,
  parseTuningConfig,
  sampleFileName,
  setupTuning,
  tuningErrorDistribution,
  tuningOptimizeOptions,
} from "../../index.ts";
import { writeTinyZoo, type TinyZoo } from "../fixtures/tinyZoo.ts";

describe("tuning configs with several backbones per network and cached levels", () => {
  let zoo: TinyZoo;
  let base: Record<string, unknown>;
  const path = () => join(zoo.dir, "config.json");
  beforeAll(async () => {
    zoo = await writeTinyZoo(mkdtempSync(join(tmpdir(), "tiny-zoo-")));
    const m = zoo.models;
    base = {
      models: {
        heading: {
          wide: { model: m["heading-wide"].onnx, levels: m["heading-wide"].levels },
          narrow: { model: m["heading-narrow"].onnx, levels: m["heading-narrow"].levels },
        },
        distance: { wide: { model: m["distance-wide"].onnx, levels: m["distance-wide"].levels }, narrow: m["distance-narrow"].onnx },
      },
      levelsRoot: zoo.levelsRoot,
      dataset: { dir: zoo.data },
      approximators: [{ method: "prune", nSteps: 1, pruneFraction: 0.5 }],
      agnostic: { reference: "narrow", variants: [0.01] },
      workers: 1,
    };
  }, 60_000);
  afterAll(() => rmSync(zoo.dir, { recursive: true, force: true }));

  it("lists every backbone, the first as the NN's model, and plans disjoint seeds", () => {
    const c = parseTuningConfig({ ...base, calibration: { seeds: 3 }, seeds: 2 }, path());
    expect(c.backbones.heading.map((b) => b.name)).toEqual(["wide", "narrow"]);
    expect(c.models.heading).toBe(zoo.models["heading-wide"].onnx);
    expect(c.backbones.distance[1]).toEqual({ name: "narrow", model: zoo.models["distance-narrow"].onnx });
    expect(c.agnostic).toEqual({ reference: "narrow", tolerance: 0, variants: [0.01] });
  });

  it("makes each backbone's candidates its cached levels, or the approximators without levels", async () => {
    const setup = await setupTuning(parseTuningConfig(base, path()), "cropfollow", path());
    try {
      const heading = setup.backbones.heading;
      expect(heading.map((b) => [b.name, b.approximators!.map((a) => `${a.name}×${a.nSteps}`)])).toEqual([
        ["wide", ["prune×2"]],
        ["narrow", ["prune×2"]],
      ]);
      const levels = [];
      for await (const l of heading[1].approximators![0].levels(heading[1].model)) levels.push([l.level, +l.fraction.toFixed(2)]);
      expect(levels).toEqual([
        [1, 0.3],
        [2, 0.51],
      ]);
      expect(setup.backbones.distance[1].approximators).toBe(setup.approximators.distance);
      expect(setup.nns.map((n) => n.name)).toEqual(["heading", "distance"]);
    } finally {
      await setup.close();
    }
  }, 60_000);

  it("passes a prune approximator's importance to its levels", async () => {
    const levelBytes = async (importance?: string) => {
      // Distance networks without cached levels: their candidates come from the configured pruner.
      const m = zoo.models;
      const models = { ...(base.models as object), distance: { wide: m["distance-wide"].onnx, narrow: m["distance-narrow"].onnx } };
      const approximators = [{ method: "prune", nSteps: 1, pruneFraction: 0.5, importance }];
      const setup = await setupTuning(parseTuningConfig({ ...base, models, approximators }, path()), "cropfollow", path());
      try {
        const wide = setup.backbones.distance[0];
        for await (const l of wide.approximators![0].levels(wide.model)) return encodeModel(modelOf(l.model));
      } finally {
        await setup.close();
      }
    };
    const plain = await levelBytes();
    expect(await levelBytes("l1")).toEqual(plain);
    const balanced = await levelBytes("l1-balanced");
    expect(balanced!.length).toBe(plain!.length);
    expect(balanced).not.toEqual(plain);
  }, 60_000);

  it("refuses bad configurations naming the field", async () => {
    const where = (patch: Record<string, unknown>) => {
      try {
        parseTuningConfig({ ...base, ...patch }, path());
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(where({ agnostic: { reference: "vgg" } })).toMatch(
      /config\.json: agnostic\.reference: "vgg" is not a backbone of heading \(wide, narrow\)/,
    );
    expect(where({ agnostic: { tolerance: -0.1 } })).toMatch(/agnostic\.tolerance/);
    expect(where({ calibration: { seeds: [0, 1] }, seeds: [1, 2] })).toMatch(/config\.json: seeds: seed 1 is already in calibration\.seeds/);
    expect(where({ models: { heading: { wide: { model: "nope.onnx" } } } })).toMatch(/models\.heading\.wide\.model: no such file/);
    expect(where({ models: { heading: {} } })).toMatch(/models\.heading/);
    expect(where({ failureFeedback: "no" })).toMatch(/config\.json: failureFeedback/);
    expect(where({ approximators: [{ method: "prune", nSteps: 1, pruneFraction: 0.5, importance: "l2" }] })).toMatch(
      /config\.json: approximators\[0\]\.importance: .*"l1-balanced"/,
    );
    expect(parseTuningConfig({ ...base, failureFeedback: false }, path()).failureFeedback).toBe(false);
    // Levels of another model, and a summary whose level directory is not where levelsRoot says.
    const m = zoo.models;
    const swapped = {
      ...base,
      agnostic: { reference: "wide" },
      models: { heading: { wide: { model: m["heading-wide"].onnx, levels: m["heading-narrow"].levels } }, distance: m["distance-wide"].onnx },
    };
    await expect(setupTuning(parseTuningConfig(swapped, path()), "cropfollow", path())).rejects.toThrow(
      /models\.heading\.wide\.levels: the levels in .* were built from another model/,
    );
    const lost = {
      ...swapped,
      levelsRoot: join(zoo.dir, "elsewhere"),
      models: { ...swapped.models, heading: { wide: { model: m["heading-wide"].onnx, levels: m["heading-wide"].levels } } },
    };
    await expect(setupTuning(parseTuningConfig(lost, path()), "cropfollow", path())).rejects.toThrow(
      /models\.heading\.wide\.levels: the level directory of .* is not at .*elsewhere/,
    );
  }, 60_000);

  it("fits world spreads on a dataset rendered in several worlds, and names the sample without one", async () => {
    // The same frames as the zoo's dataset, named as `approxcaliper dataset` names them: 2 worlds of 4.
    const worlds = join(zoo.dir, "worlds");
    mkdirSync(join(worlds, "images"), { recursive: true });
    const spec = JSON.parse(readFileSync(join(zoo.data, "labels.json"), "utf8")) as { items: { file: string }[] };
    spec.items = spec.items.map((item, i) => {
      const file = `images/${sampleFileName(40 + (i % 2), i >> 1)}`;
      copyFileSync(join(zoo.data, item.file), join(worlds, file));
      return { ...item, file };
    });
    writeFileSync(join(worlds, "labels.json"), JSON.stringify(spec));
    const config = { ...base, calibration: { worldSpread: true }, dataset: { dir: worlds } };
    const setup = await setupTuning(parseTuningConfig(config, path()), "cropfollow", path());
    try {
      expect(Array.from(setup.worldGroups!)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
      const { calibration } = await tuningErrorDistribution(setup);
      for (const nn of ["heading", "distance"]) {
        const family = calibration.family(nn);
        expect(family.kind === "regression" && family.measured.every((m) => m.worldSpread! >= 0)).toBe(true);
        expect(family.kind === "regression" && family.worldSpread).toBeTruthy();
      }
      const injection = calibration.injectionFor("distance", 0.05);
      expect(injection.kind === "gaussian" && injection.perRun).toHaveLength(10);
      // Candidates are placed by their world-equivalent levels, from the calibration's families beside its constraints.
      const worldEquivalence = { groups: setup.worldGroups!, errors: calibration };
      const c = await measureCandidate(
        { nn: "distance", approximator: "original", level: 0, fraction: 0 },
        setup.nns[1].model!,
        setup.metrics,
        setup.dataset,
        { runs: 1, worldEquivalence },
      );
      const axis = "distance.l1Error";
      expect(c.budget![axis]).toBeCloseTo(calibration.worldEquivalentLevel("distance", c.metrics[axis], c.worldSpread![axis]), 12);
      const seeds = { calibration: [0], tuning: [1], verification: [2] };
      const verify = async () => ({ pass: true, hash: "" });
      // A run without a constraints file calibrated into `<out>/calibration`; one with it reads the families beside it.
      const out = join(zoo.dir, "opt-out");
      expect(() => tuningOptimizeOptions(parseTuningConfig(config, path()), setup, seeds, verify, out)).toThrow(
        `${join(out, "calibration", "error-distribution.json")}: no such file`,
      );
      writeFileSync(join(zoo.dir, "constraints.json"), "{}");
      const withConstraints = { ...config, constraints: join(zoo.dir, "constraints.json") };
      expect(() => tuningOptimizeOptions(parseTuningConfig(withConstraints, path()), setup, seeds, verify, out)).toThrow(
        `${join(zoo.dir, "error-distribution.json")}: no such file`,
      );
      writeFileSync(join(zoo.dir, "error-distribution.json"), "{ cut short");
      expect(() => tuningOptimizeOptions(parseTuningConfig(withConstraints, path()), setup, seeds, verify, out)).toThrow(
        `${join(zoo.dir, "error-distribution.json")}: not valid JSON`,
      );
      writeFileSync(join(zoo.dir, "error-distribution.json"), JSON.stringify({ version: 1, families: { distance: { kind: "regression" } } }));
      expect(() => tuningOptimizeOptions(parseTuningConfig(withConstraints, path()), setup, seeds, verify, out)).toThrow(
        `${join(zoo.dir, "error-distribution.json")}: families.distance`,
      );
      writeFileSync(join(zoo.dir, "error-distribution.json"), JSON.stringify(calibration.toJSON()));
      expect(tuningOptimizeOptions(parseTuningConfig(withConstraints, path()), setup, seeds, verify, out).worldEquivalence?.groups).toBe(
        setup.worldGroups,
      );
    } finally {
      await setup.close();
    }
    await expect(setupTuning(parseTuningConfig({ ...base, calibration: { worldSpread: true } }, path()), "cropfollow", path())).rejects.toThrow(
      /labels\.json: items\[0\]\.file: "images\/0\.png" names no world/,
    );
  }, 60_000);
});
