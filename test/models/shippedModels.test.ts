/**
 * The shipped perception models: they load, fit the size budget, agree with
 * their model cards, and meet the card's validation metrics on a small
 * held-out split generated here from world seeds no training split used
 * (dataset seed 900; the test split: 50 frames of one unseen world). The
 * split is small, so the check allows sampling slack: errors up to 1.5× the
 * card's, recall/precision/IoU down to 0.85× — a model that regressed to a
 * constant or a wrong mask fails it (predicting the median φ/d gives about
 * 10° / 0.09 on the validation labels).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { labelColumn, laneMaskMetrics, loadDataset, loadModel, poolMasks, readModel, regressionL1 } from "../../optimizer/index.ts";
import { generateDataset } from "../../sim/index.ts";
import type { ModelCard } from "../../scripts/models/modelCard.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const HELD_OUT_SEED = 900;
const tmp = mkdtempSync(join(tmpdir(), "ac-models-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const card = (name: string) => JSON.parse(readFileSync(join(MODELS, `${name}.json`), "utf8")) as ModelCard;

const heldOutSets = new Map<string, ReturnType<typeof makeHeldOut>>();
/** The held-out test split of `kind` at the card's input size (generated once per file run). */
function heldOut(kind: "cropfollow" | "gem", c: ModelCard) {
  if (!heldOutSets.has(kind)) heldOutSets.set(kind, makeHeldOut(kind, c));
  return heldOutSets.get(kind)!;
}

async function makeHeldOut(kind: "cropfollow" | "gem", c: ModelCard) {
  const out = join(tmp, kind);
  await generateDataset({
    kind,
    out,
    worlds: 3,
    perWorld: 50,
    seed: HELD_OUT_SEED,
    width: c.input.shape[3],
    height: c.input.shape[2],
    workers: 0,
    valFraction: 0.34,
    testFraction: 0.34,
  });
  // All three splits are unseen worlds; the test split alone keeps the run short.
  const ds = await loadDataset(join(out, "test"), join(out, "test", "labels.json"), { cache: false });
  expect(c.dataset.seed).not.toBe(HELD_OUT_SEED);
  return ds;
}

describe("shipped models", () => {
  for (const name of ["heading", "distance", "lanenet", "cropfollow"]) {
    it(`${name}.onnx exists, is under 10 MB and loads`, async () => {
      const file = join(MODELS, `${name}.onnx`);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeLessThan(10 * 1024 * 1024);
      const nn = await loadModel(file);
      expect(nn.inputShape.length).toBe(4);
      await nn.dispose();
    });
  }

  it("heading and distance meet their cards on held-out worlds", async () => {
    const hc = card("heading");
    const dc = card("distance");
    const ds = await heldOut("cropfollow", hc);
    const h = await loadModel(join(MODELS, "heading.onnx"));
    const d = await loadModel(join(MODELS, "distance.onnx"));
    expect(h.inputShape.slice(1)).toEqual(hc.input.shape.slice(1));
    const headingDeg = ((await regressionL1(h, labelColumn(ds, "heading"))) * 180) / Math.PI;
    const distance = await regressionL1(d, labelColumn(ds, "distance"));
    await h.dispose();
    await d.dispose();
    expect(headingDeg).toBeLessThan(1.5 * hc.metrics.headingL1Deg);
    expect(distance).toBeLessThan(1.5 * dc.metrics.distanceL1);
  });

  it("lanenet meets its card on held-out tracks", async () => {
    const c = card("lanenet");
    const ds = poolMasks(await heldOut("gem", c), 2);
    const nn = await loadModel(join(MODELS, "lanenet.onnx"));
    const m = await laneMaskMetrics(nn, ds);
    await nn.dispose();
    expect(m.recall).toBeGreaterThan(0.85 * c.metrics.laneRecall);
    expect(m.precision).toBeGreaterThan(0.85 * c.metrics.lanePrecision);
    expect(m.iou).toBeGreaterThan(0.85 * c.metrics.laneIoU);
  });

  it("cropfollow.onnx is heading.onnx and distance.onnx on one input (same outputs)", async () => {
    const ds = await heldOut("cropfollow", card("heading"));
    const merged = await loadModel(join(MODELS, "cropfollow.onnx"));
    expect(merged.outputNames).toEqual(["heading", "distance"]);
    const both = (await merged.run(ds.inputs.subarray(0, 8 * ds.inputSize), 8)) as Record<string, Float32Array>;
    for (const name of ["heading", "distance"]) {
      const single = await loadModel(await readModel(join(MODELS, `${name}.onnx`)));
      const one = (await single.run(ds.inputs.subarray(0, 8 * ds.inputSize), 8)) as Float32Array;
      await single.dispose();
      for (let i = 0; i < 8; i++) expect(both[name][i]).toBeCloseTo(one[i], 5);
    }
    await merged.dispose();
  });

  it("model cards describe the files: FLOPs, params, size, input normalization", async () => {
    const { modelStats } = await import("../../optimizer/index.ts");
    for (const name of ["heading", "distance", "lanenet"]) {
      const c = card(name);
      const model = await readModel(join(MODELS, c.file));
      const s = modelStats(model);
      expect(c.flops).toBe(s.totalFlops);
      expect(c.params).toBe(s.totalParams);
      expect(c.sizeBytes).toBe(statSync(join(MODELS, c.file)).size);
      expect(c.input.mean).toEqual([0.485, 0.456, 0.406]);
      expect(c.latencyMs).toBeGreaterThan(0);
    }
  });
});
