import { describe, expect, it } from "vitest";
import { pruneChannels } from "../../../optimizer/approx/pruneChannels.ts";
import { StructuredPruner } from "../../../optimizer/approx/StructuredPruner.ts";
import { TensorDataset } from "../../../optimizer/data/TensorDataset.ts";
import { inferShapes } from "../../../optimizer/onnx/inferShapes.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { modelStats } from "../../../optimizer/onnx/modelStats.ts";
import { readModel } from "../../../optimizer/onnx/serialize.ts";
import { mseLoss } from "../../../optimizer/train/losses/mseLoss.ts";
import { sgd } from "../../../optimizer/train/optimizers/sgd.ts";
import { StepSchedule } from "../../../optimizer/train/schedules/StepSchedule.ts";
import { mobilenetV2, resnet18 } from "../../../optimizer/models/torchvisionNets.ts";
import { randomInput, runModel } from "./helpers.ts";
import { INPUT_SHAPE, residualNet } from "./models.ts";

async function collect(pruner: StructuredPruner, model: Model) {
  const out = [];
  for await (const level of pruner.levels(model)) out.push(level);
  return out;
}

describe("StructuredPruner", () => {
  it("removes 1 − (1 − p)^k of the channels by level k; FLOPs and params fall with every level", async () => {
    const model = residualNet();
    const levels = await collect(new StructuredPruner({ nSteps: 3, pruneFraction: 0.3 }), model);
    expect(levels.map((l) => l.level)).toEqual([1, 2, 3]);
    levels.forEach((l, i) => expect(l.fraction).toBeCloseTo(1 - 0.7 ** (i + 1), 12));
    const stats = [model, ...levels.map((l) => l.model)].map((m) => modelStats(m));
    for (let i = 1; i < stats.length; i++) {
      expect(stats[i].totalFlops).toBeLessThan(stats[i - 1].totalFlops);
      expect(stats[i].totalParams).toBeLessThan(stats[i - 1].totalParams);
    }
    // Channel counts follow the schedule against the original sizes: 8 → 5 → 3 → 2 for the stem.
    const stem = (m: Model) => m.graph.initializers.get(m.graph.nodes.find((n) => n.opType === "Conv")!.inputs[1])!.dims[0];
    expect(levels.map((l) => stem(l.model))).toEqual([5, 3, 2]);
    const input = randomInput(INPUT_SHAPE);
    for (const l of levels) {
      inferShapes(l.model);
      const y = await runModel(l.model, input, INPUT_SHAPE);
      expect(y.length).toBe(5);
      expect(y.every(Number.isFinite)).toBe(true);
    }
  });

  it("accepts a nested model ({ model }) and a pluggable importance", async () => {
    const model = residualNet();
    // Prefer removing the highest-index channels regardless of weights.
    const byIndex = (g: { size: number }) => Float64Array.from({ length: g.size }, (_, i) => g.size - i);
    const [level] = await collect(new StructuredPruner({ nSteps: 1, pruneFraction: 0.5, importance: byIndex }), { model } as never);
    const first = level.model.graph.nodes.find((n) => n.opType === "Conv")!;
    const w = level.model.graph.initializers.get(first.inputs[1])!;
    const orig = model.graph.initializers.get(model.graph.nodes.find((n) => n.opType === "Conv")!.inputs[1])!;
    expect(Array.from(w.data as Float32Array)).toEqual(Array.from((orig.data as Float32Array).subarray(0, w.data.length)));
  });

  it("retrains each level with the rewound learning-rate schedule when given a recipe", async () => {
    const model = residualNet(21);
    // Distillation data: the original model's outputs are the targets.
    const n = 32;
    const inputs = randomInput([n, ...INPUT_SHAPE.slice(1)], 5);
    const targets = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) {
      const one = inputs.subarray(i * 768, (i + 1) * 768);
      targets.set(await runModel(model, one, INPUT_SHAPE), i * 5);
    }
    const train = new TensorDataset({ inputs, targets, inputShape: [3, 16, 16], targetShape: [5] });
    const mse = async (m: Model) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const y = await runModel(m, inputs.subarray(i * 768, (i + 1) * 768), INPUT_SHAPE);
        for (let j = 0; j < 5; j++) s += (y[j] - targets[i * 5 + j]) ** 2;
      }
      return s / (n * 5);
    };
    const recipe = {
      train,
      loss: mseLoss(),
      optimizer: sgd({ momentum: 0.9 }),
      schedule: new StepSchedule({ lr: 0.02, stepSize: 8, gamma: 0.5 }),
      batchSize: 8,
      epochs: 4,
    };
    const plain = (await collect(new StructuredPruner({ nSteps: 1, pruneFraction: 0.5 }), model))[0].model;
    const tuned = (await collect(new StructuredPruner({ nSteps: 1, pruneFraction: 0.5, finetune: recipe }), model))[0].model;
    expect(modelStats(tuned).totalFlops).toBe(modelStats(plain).totalFlops);
    expect(await mse(tuned)).toBeLessThan((await mse(plain)) * 0.8);
  });

  it("prunes PyTorch exports level by level (MobileNetV2, SqueezeNet, U-Net with ConvTranspose)", async () => {
    for (const name of ["mobilenetv2_op13", "squeezenet_op17", "unet_transpose_op17"]) {
      const model = await readModel(`test/fixtures/onnx/${name}.onnx`);
      const shape = model.graph.inputs[0].shape as number[];
      let prev = modelStats(model).totalFlops;
      for await (const l of new StructuredPruner({ nSteps: 2, pruneFraction: 0.4 }).levels(model)) {
        const flops = modelStats(l.model).totalFlops;
        expect(flops, `${name} level ${l.level}`).toBeLessThan(prev);
        prev = flops;
        const y = await runModel(l.model, randomInput(shape), shape);
        expect(y.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it("matches Torch-Pruning's MAC ratios at amount 0.5 on torchvision-shaped ResNet18 (0.27) and MobileNetV2 (0.29)", () => {
    for (const [build, expected] of [
      [resnet18, 0.27],
      [mobilenetV2, 0.29],
    ] as const) {
      const model = build();
      const ratio = modelStats(pruneChannels(model, 0.5).model).totalFlops / modelStats(model).totalFlops;
      expect(Math.abs(ratio - expected)).toBeLessThan(0.015);
    }
  });

  it("rejects bad options and fractions with clear errors", () => {
    expect(() => new StructuredPruner({ nSteps: 0, pruneFraction: 0.2 })).toThrow(/StructuredPruner.nSteps: must be a positive integer/);
    expect(() => new StructuredPruner({ nSteps: 2, pruneFraction: 1 })).toThrow(/pruneFraction: must be in \(0, 1\)/);
    expect(() => new StructuredPruner({ nSteps: 2, pruneFraction: Number.NaN })).toThrow(/pruneFraction/);
    expect(() => pruneChannels(residualNet(), 1.5)).toThrow(/fraction: must be in \[0, 1\)/);
  });
});
