import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  datasetWorldGroups,
  InjectedRegressionErrors,
  InputError,
  parseTuningConfig,
  Random,
  sampleFileName,
  type Simulation,
} from "../../index.ts";
import { regressionErrorOf } from "../../pipelines/perception/regressionErrorOf.ts";

/** A clock the error processes read; no simulation is needed to draw errors. */
const clock = { time: 0 } as unknown as Simulation;
/** Output 0's error in the first frame of a run with `seed` (no noise: the alternative's bias alone). */
const firstError = (errors: InjectedRegressionErrors, seed: number, k = 0) => {
  errors.attach(clock, new Random(seed));
  return errors.apply(k, 0);
};

describe("per-run error alternatives", () => {
  const alternatives = [0.1, 0.2, 0.3, 0.4].map((bias) => ({ bias }));

  it("runs one alternative per run, the same for the same seed, each about equally often", () => {
    const errors = new InjectedRegressionErrors([{ bias: 9, perRun: alternatives }], "test");
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 400; seed++) {
      const e = firstError(errors, seed);
      expect(firstError(errors, seed)).toBe(e);
      counts.set(e, (counts.get(e) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0.1, 0.2, 0.3, 0.4]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(70);
  });

  it("draws each output's alternative on its own, and leaves the other outputs' draws as they were", () => {
    const noisy = { std: 0.05 };
    const plain = new InjectedRegressionErrors([noisy, noisy], "test");
    const mixed = new InjectedRegressionErrors([{ ...noisy, perRun: alternatives.map((a) => ({ ...a, ...noisy })) }, noisy], "test");
    let differ = 0;
    for (let seed = 0; seed < 50; seed++) {
      // Output 1 reads the same stream after output 0 drew one variate in either case.
      plain.attach(clock, new Random(seed));
      mixed.attach(clock, new Random(seed));
      const p0 = plain.apply(0, 0);
      const m0 = mixed.apply(0, 0);
      expect(plain.apply(1, 0)).toBe(mixed.apply(1, 0));
      expect(m0 - p0).toBeCloseTo(alternatives.find((a) => Math.abs(m0 - p0 - a.bias) < 1e-9)?.bias ?? NaN, 9);
      const both = new InjectedRegressionErrors([{ perRun: alternatives }, { perRun: alternatives }], "test");
      both.attach(clock, new Random(seed));
      if (both.apply(0, 0) !== both.apply(1, 0)) differ++;
    }
    expect(differ).toBeGreaterThan(20);
  });

  it("shifts a run's bias by one offset of spread runOffset, the same for the same seed and on any terms", () => {
    const offsetOf = (terms: object, seed: number) => firstError(new InjectedRegressionErrors([{ ...terms, runOffset: 0.03 }], "test"), seed);
    const draws = Array.from({ length: 2000 }, (_, seed) => offsetOf({ bias: 0.1 }, seed) - 0.1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(Math.abs(sd - 0.03)).toBeLessThan(0.002);
    // Held for the whole run: every frame of it has the same error (no noise here).
    const errors = new InjectedRegressionErrors([{ runOffset: 0.03 }], "test");
    errors.attach(clock, new Random(4));
    expect(errors.apply(0, 0)).toBeCloseTo(errors.apply(0, 1) - 1, 12);
    // Common across levels: another bias or gain on the same seed meets the same offset.
    for (const seed of [1, 2, 3]) expect(offsetOf({ bias: 0.2, gain: -0.5, center: 0 }, seed) - 0.2).toBeCloseTo(offsetOf({}, seed), 12);
    // Outputs without it draw what they drew before the term existed.
    const noisy = new InjectedRegressionErrors([{ std: 0.05 }, { std: 0.05 }], "test");
    const shifted = new InjectedRegressionErrors([{ std: 0.05, runOffset: 0.03 }, { std: 0.05 }], "test");
    noisy.attach(clock, new Random(8));
    shifted.attach(clock, new Random(8));
    noisy.apply(0, 0);
    shifted.apply(0, 0);
    expect(shifted.apply(1, 0)).toBe(noisy.apply(1, 0));
  });

  it("comes from an injection's per-output arrays, and refuses bad alternatives naming the field", () => {
    const error = regressionErrorOf({ bias: [0], std: [0], perRun: [{ bias: [0.1], std: [0.2] }] }, 0);
    expect(error.perRun).toEqual([expect.objectContaining({ bias: 0.1, std: 0.2 })]);
    expect(() => new InjectedRegressionErrors([{ perRun: [{ std: -1 }] }], "row")).toThrow(/row output 0.*perRun.*std/s);
    expect(() => new InjectedRegressionErrors([{ perRun: [] }], "row")).toThrow(InputError);
    expect(regressionErrorOf({ bias: [0], std: [0], runOffset: [0.02] }, 0).runOffset).toBe(0.02);
    expect(() => new InjectedRegressionErrors([{ runOffset: -0.01 }], "row")).toThrow(/row output 0.*runOffset/s);
  });
});

describe("datasetWorldGroups", () => {
  const dir = mkdtempSync(join(tmpdir(), "world-groups-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const labels = (files: string[]) => {
    const file = join(dir, `labels-${files.length}-${files[0].length}.json`);
    writeFileSync(file, JSON.stringify({ inputs: { width: 4, height: 3 }, items: files.map((f) => ({ file: f, label: [0] })) }));
    return file;
  };

  it("numbers the worlds of the samples in order of first appearance", () => {
    const files = [sampleFileName(7, 0), sampleFileName(3, 0), sampleFileName(7, 1), sampleFileName(3, 1)].map((f) => `images/${f}`);
    expect(Array.from(datasetWorldGroups(labels(files)))).toEqual([0, 1, 0, 1]);
  });

  it("names the labels file and item of a sample with no world, and refuses a single world", () => {
    const bad = labels([`images/${sampleFileName(1, 0)}`, "images/frame.png"]);
    expect(() => datasetWorldGroups(bad)).toThrow(`${bad}: items[1].file`);
    expect(() => datasetWorldGroups(labels([sampleFileName(1, 0), sampleFileName(1, 1)]))).toThrow(/at least 2 worlds, found 1/);
  });

  it("is off unless a tuning config asks for it", () => {
    const model = join(dir, "m.onnx");
    writeFileSync(model, "");
    const base = { models: { heading: model, distance: model }, dataset: { dir, labels: labels([sampleFileName(1, 0)]) } };
    const config = join(dir, "config.json");
    expect(parseTuningConfig(base, config).calibration.worldSpread).toBe(false);
    expect(parseTuningConfig({ ...base, calibration: { worldSpread: true } }, config).calibration.worldSpread).toBe(true);
    expect(() => parseTuningConfig({ ...base, calibration: { worldSpread: "yes" } }, config)).toThrow(/config\.json: calibration\.worldSpread/);
  });
});
