import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import {
  adam,
  bceWithLogitsLoss,
  colorJitter,
  encodeModel,
  horizontalFlip,
  ConstantSchedule,
  fit,
  inferShapes,
  loadModel,
  modelStats,
  models,
  mseLoss,
  pruneChannels,
  TensorDataset,
  TrainingSession,
  validateModel,
  type Model,
} from "../../../optimizer/index.ts";
import { rampDataset } from "../train/fixtures/syntheticData.ts";

const REGRESSION = { resnet18Style: models.resnet18Style, squeezeNetStyle: models.squeezeNetStyle, darkNetStyle: models.darkNetStyle };
const LANE = { laneNetVggStyle: models.laneNetVggStyle, laneNetDarkNetStyle: models.laneNetDarkNetStyle };

/** The output dims ORT produces at batch `n` and the dims our shape inference gives for the same input. */
async function ortAndInferredShape(model: Model, n: number): Promise<{ ort: number[]; inferred: (number | string | null)[] }> {
  const input = model.graph.inputs[0];
  const dims = [n, ...(input.shape!.slice(1) as number[])];
  const out = model.graph.outputs[0].name;
  const inferred = inferShapes(model, { inputShapes: { [input.name]: dims } }).get(out)!.shape!;
  const nn = await loadModel(model, { intraOpThreads: 1 });
  try {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1);
    const res = await nn.runFeeds({ [input.name]: { data, dims } });
    return { ort: [...res[out].dims], inferred };
  } finally {
    await nn.dispose();
  }
}

/** 3×h×w images with a bright rectangle; the target mask (1/4 per axis) marks its max-pooled footprint. */
function laneLikeDataset(count: number, seed: number, h = 32, w = 64): TensorDataset {
  const r = new Random(seed);
  const f = 4;
  const inputs = new Float32Array(count * 3 * h * w);
  const targets = new Float32Array((count * h * w) / (f * f));
  for (let i = 0; i < count; i++) {
    const x0 = r.int(0, w - 12);
    const x1 = x0 + r.int(4, 10);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) inputs[((i * 3 + c) * h + y) * w + x] = (x >= x0 && x < x1 ? 1 : -1) + r.normal(0, 0.2);
    for (let y = 0; y < h / f; y++)
      for (let x = 0; x < w / f; x++) targets[((i * h) / f) * (w / f) + y * (w / f) + x] = x * f + f > x0 && x * f < x1 ? 1 : 0;
  }
  return new TensorDataset({ inputs, targets, inputShape: [3, h, w], targetShape: [1, h / f, w / f] });
}

async function trainTiny(model: Model, ds: TensorDataset, loss = mseLoss()): Promise<{ losses: number[]; bytes: Uint8Array }> {
  const session = await TrainingSession.create(model, { loss, optimizer: adam(), seed: 1 });
  try {
    const r = await fit(session, {
      train: ds,
      epochs: 4,
      batchSize: 8,
      schedule: new ConstantSchedule(3e-3),
      seed: 2,
      augment: [horizontalFlip(), colorJitter()],
    });
    return { losses: r.history.map((h) => h.trainLoss), bytes: encodeModel(r.model) };
  } finally {
    await session.release();
  }
}

async function trainLosses(model: Model, ds: TensorDataset, loss = mseLoss()): Promise<number[]> {
  return (await trainTiny(model, ds, loss)).losses;
}

describe("CropFollow backbones at the zoo's 3×120×160", () => {
  for (const [name, build] of Object.entries(REGRESSION)) {
    it(`${name}: valid graph, ORT output shape = inferred shape, ≥ 100 MFLOPs, ≤ 8 MB of weights`, async () => {
      const model = build({ outputName: "heading", seed: 3 });
      validateModel(model, name);
      const { ort, inferred } = await ortAndInferredShape(model, 2);
      expect(ort).toEqual([2, 1]);
      expect(inferred).toEqual(ort);
      expect(model.graph.outputs[0].name).toBe("heading_out");
      const s = modelStats(model);
      expect(s.totalFlops).toBeGreaterThanOrEqual(100e6);
      expect(s.totalParams * 4).toBeLessThanOrEqual(8e6);
    });
  }
});

describe("LaneNet encoder–decoders at the zoo's 3×128×256", () => {
  for (const [name, build] of Object.entries(LANE)) {
    it(`${name}: valid graph, mask logits at 1/4 (ORT = inferred), ≥ 150 MFLOPs, ≤ 8 MB`, async () => {
      const model = build({ seed: 3 });
      validateModel(model, name);
      const { ort, inferred } = await ortAndInferredShape(model, 1);
      expect(ort).toEqual([1, 1, 32, 64]);
      expect(inferred).toEqual(ort);
      const s = modelStats(model);
      expect(s.totalFlops).toBeGreaterThanOrEqual(150e6);
      expect(s.totalParams * 4).toBeLessThanOrEqual(8e6);
    });
  }
});

describe("tiny-width variants train and prune", () => {
  const ramp = rampDataset(32, 5, 32, 48);
  it("training is deterministic: the same builder seed and recipe give the same model bytes (dropout, shuffling and augmentation included)", async () => {
    const build = () => models.resnet18Style({ height: 32, width: 48, widthMultiplier: 0.25, headChannels: 16, outputs: 2, seed: 4 });
    const a = await trainTiny(build(), ramp);
    const b = await trainTiny(build(), ramp);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
  for (const [name, build] of Object.entries(REGRESSION)) {
    it(`${name}: loss falls; pruning halves channels, keeps [N, 2] and still loads`, async () => {
      const model = build({ height: 32, width: 48, widthMultiplier: 0.25, headChannels: 16, outputs: 2, seed: 4 });
      const losses = await trainLosses(model, ramp);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
      const pruned = pruneChannels(model, 0.5).model;
      expect(modelStats(pruned).totalParams).toBeLessThan(modelStats(model).totalParams * 0.6);
      expect((await ortAndInferredShape(pruned, 3)).ort).toEqual([3, 2]);
    });
  }
  const lanes = laneLikeDataset(32, 6);
  for (const [name, build] of Object.entries(LANE)) {
    it(`${name}: loss falls; pruning shrinks it, keeps [N, 1, h/4, w/4] and still loads`, async () => {
      const model = build({ height: 32, width: 64, widthMultiplier: 0.25, seed: 4 });
      const losses = await trainLosses(model, lanes, bceWithLogitsLoss());
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
      const pruned = pruneChannels(model, 0.5).model;
      expect(modelStats(pruned).totalParams).toBeLessThan(modelStats(model).totalParams * 0.6);
      expect((await ortAndInferredShape(pruned, 2)).ort).toEqual([2, 1, 8, 16]);
    });
  }
});
