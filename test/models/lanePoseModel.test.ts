/**
 * The gem-pursuit application's network, models/lanepose.onnx: it agrees
 * with its model card and meets the card's validation metrics on held-out
 * tracks generated here (dataset seed 900, world seeds no training split
 * used; the test split, 50 frames of one unseen world). The split is small,
 * so errors up to 1.5× the card's pass; predicting the label mean gives about
 * 1 m cross-track and 7° heading error, far outside that.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDataset, LANE_POSE_LABELS, loadDataset, loadModel, modelStats, readModel } from "../../index.ts";
import { lanePoseMetrics } from "../../scripts/models/lanePoseMetrics.ts";
import type { ModelCard } from "../../scripts/models/modelCard.ts";

const MODELS = join(import.meta.dirname, "..", "..", "models");
const tmp = mkdtempSync(join(tmpdir(), "ac-lanepose-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const card = JSON.parse(readFileSync(join(MODELS, "lanepose.json"), "utf8")) as ModelCard;

describe("models/lanepose.onnx", () => {
  it("is what its card says: input, output, FLOPs, params, size", async () => {
    const model = await readModel(join(MODELS, card.file));
    const s = modelStats(model);
    expect(card.flops).toBe(s.totalFlops);
    expect(card.params).toBe(s.totalParams);
    expect(card.sizeBytes).toBe(statSync(join(MODELS, card.file)).size);
    const nn = await loadModel(join(MODELS, card.file));
    expect(nn.inputShape.slice(1)).toEqual(card.input.shape.slice(1));
    expect(nn.outputNames).toEqual([card.output.name]);
    await nn.dispose();
    expect(card.dataset.kind).toBe("lanepose");
    expect(card.latencyMs).toBeGreaterThan(0);
  });

  it("meets its card's validation metrics on held-out tracks", async () => {
    const out = join(tmp, "lanepose");
    const [, , height, width] = card.input.shape;
    await generateDataset({ kind: "lanepose", out, worlds: 3, perWorld: 50, seed: 900, width, height, workers: 0, valFraction: 0.34, testFraction: 0.34 });
    expect(card.dataset.seed).not.toBe(900);
    const ds = await loadDataset(join(out, "test"), join(out, "test", "labels.json"), { cache: false });
    expect(ds.labelNames).toEqual([...LANE_POSE_LABELS]);
    const nn = await loadModel(join(MODELS, card.file));
    const m = await lanePoseMetrics(nn, ds);
    await nn.dispose();
    expect(m.crossTrackL1).toBeLessThan(1.5 * card.metrics.crossTrackL1);
    expect(m.headingL1Deg).toBeLessThan(1.5 * card.metrics.headingL1Deg);
  });
});
