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
import {
  asModelRunner,
  ErrorMetric,
  generateDataset,
  l1Error,
  LANE_POSE_LABELS,
  loadDataset,
  loadModel,
  modelStats,
  readModel,
} from "../../index.ts";

/** The fields of `models/lanepose.json` (written by `npm run train:lanepose`) this test checks. */
interface LanePoseCard {
  file: string;
  input: { shape: ["N", 3, number, number] };
  output: { name: string };
  dataset: { kind: string; seed: number };
  metrics: { crossTrackL1: number; headingL1Deg: number };
  flops: number;
  params: number;
  sizeBytes: number;
  latencyMs: number;
}

const MODELS = join(import.meta.dirname, "..", "..", "models");
const tmp = mkdtempSync(join(tmpdir(), "ac-lanepose-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const card = JSON.parse(readFileSync(join(MODELS, "lanepose.json"), "utf8")) as LanePoseCard;

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
    await generateDataset({
      kind: "lanepose",
      out,
      worlds: 3,
      perWorld: 50,
      seed: 900,
      width,
      height,
      workers: 0,
      valFraction: 0.34,
      testFraction: 0.34,
    });
    expect(card.dataset.seed).not.toBe(900);
    const ds = await loadDataset(join(out, "test"), join(out, "test", "labels.json"), { cache: false });
    expect(ds.labelNames).toEqual([...LANE_POSE_LABELS]);
    const runner = asModelRunner("lanepose", await loadModel(join(MODELS, card.file)));
    const l1 = (output: number, label: string) => new ErrorMetric(runner, l1Error, { output, label }).evaluateOn(runner, ds);
    const crossTrack = await l1(0, "crossTrack");
    const headingDeg = ((await l1(1, "headingError")) * 180) / Math.PI;
    await runner.nn.dispose();
    expect(crossTrack).toBeLessThan(1.5 * card.metrics.crossTrackL1);
    expect(headingDeg).toBeLessThan(1.5 * card.metrics.headingL1Deg);
  });
});
