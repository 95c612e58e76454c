import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encodeModel } from "../../../optimizer/index.ts";
import { evaluate, fit } from "../../../optimizer/train/fit.ts";
import { adam, sgd } from "../../../optimizer/train/optimizers/index.ts";
import { bceWithLogitsLoss, mseLoss } from "../../../optimizer/train/losses/index.ts";
import { ConstantSchedule, CosineSchedule } from "../../../optimizer/train/schedules/index.ts";
import { TrainingSession } from "../../../optimizer/train/TrainingSession.ts";
import { smallEncoderDecoder, smallRegressionNet } from "./fixtures/nets.ts";
import { meanIoU, rampDataset, rectangleDataset } from "./fixtures/syntheticData.ts";

describe("TrainingSession", () => {
  it("a small CNN learns a synthetic regression task (validation loss falls ≥ 10×)", async () => {
    const train = rampDataset(256, 1);
    const val = rampDataset(64, 2);
    const session = await TrainingSession.create(smallRegressionNet(3), { loss: mseLoss(), optimizer: adam() });
    const metric = { name: "mse", mode: "min" as const, compute: (p: Float32Array, t: Float32Array) => mseLoss().compute(p, t, [p.length]) };
    const before = await evaluate(session, val, metric);
    const result = await fit(session, {
      train,
      validation: val,
      epochs: 25,
      batchSize: 16,
      schedule: new CosineSchedule({ lr: 0.01, totalSteps: 25 * 16 }),
      seed: 4,
    });
    const after = await evaluate(session, val, metric);
    expect(after).toBeLessThan(before / 10);
    expect(result.history).toHaveLength(25);
    expect(result.history[24].trainLoss).toBeLessThan(result.history[0].trainLoss / 5);
    await session.release();
  });

  it("a small encoder–decoder learns a synthetic segmentation task (IoU clearly up)", async () => {
    const train = rectangleDataset(192, 5);
    const val = rectangleDataset(48, 6);
    const session = await TrainingSession.create(smallEncoderDecoder(7), { loss: bceWithLogitsLoss(2), optimizer: adam() });
    const iou = { name: "iou", mode: "max" as const, compute: meanIoU };
    const before = await evaluate(session, val, iou);
    const result = await fit(session, {
      train,
      validation: val,
      metric: iou,
      epochs: 12,
      batchSize: 16,
      schedule: new ConstantSchedule(0.01),
      seed: 8,
    });
    const after = await evaluate(session, val, iou);
    expect(after).toBeGreaterThan(0.75);
    expect(after).toBeGreaterThan(before + 0.3);
    expect(result.bestValidation).toBeGreaterThanOrEqual(after);
    await session.release();
  });

  it("exports an inference model whose outputs match predict(), with updated weights and running stats", async () => {
    const model = smallRegressionNet(9);
    const session = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd({ momentum: 0.9 }) });
    const data = rampDataset(32, 10);
    for (let k = 0; k < 3; k++) await session.trainStep({ inputs: data.inputs, targets: data.targets, size: 32 }, 0.05);
    expect(session.step).toBe(3);
    const exported = session.exportModel();
    for (const name of ["conv1.weight", "bn1.weight", "bn1.running_mean", "bn1.running_var", "fc.bias"]) {
      expect(exported.graph.initializers.get(name)!.data).not.toEqual(model.graph.initializers.get(name)!.data);
    }
    const ortSession = await ort.InferenceSession.create(encodeModel(exported));
    const out = await ortSession.run({ input: new ort.Tensor("float32", data.inputs.slice(0, 4 * data.inputSize), [4, 3, 12, 16]) });
    const predicted = await session.predict(data.inputs, 4);
    const exportedOut = out[exported.graph.outputs[0].name].data as Float32Array;
    for (let i = 0; i < predicted.length; i++) expect(exportedOut[i]).toBeCloseTo(predicted[i], 5);
    await ortSession.release();
    await session.release();
  });

  it("keeps frozen parameters fixed and trains the rest", async () => {
    const model = smallRegressionNet(11);
    const session = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd(), frozen: ["conv1.weight", "conv1.bias"] });
    expect(session.frozen).toEqual(["conv1.bias", "conv1.weight"]);
    expect(session.parameters).not.toContain("conv1.weight");
    const data = rampDataset(16, 12);
    await session.trainStep({ inputs: data.inputs, targets: data.targets, size: 16 }, 0.1);
    const exported = session.exportModel();
    expect(exported.graph.initializers.get("conv1.weight")!.data).toEqual(model.graph.initializers.get("conv1.weight")!.data);
    expect(exported.graph.initializers.get("conv2.weight")!.data).not.toEqual(model.graph.initializers.get("conv2.weight")!.data);
    await session.release();
  });

  it("one step equals a hand-written SGD step on the gradient of a linear model", async () => {
    // y = x·Wᵀ + b with MSE: dW = 2/(N·K)·(y − t)ᵀx, db = 2/(N·K)·Σ(y − t).
    const { GraphBuilder } = await import("../../../optimizer/index.ts");
    const gb = new GraphBuilder({ seed: 13 });
    gb.output(gb.gemm(gb.flatten(gb.input("input", ["N", 3, 1, 1])), { outFeatures: 2, name: "fc" }));
    const model = gb.build();
    const W = model.graph.initializers.get("fc.weight")!.data as Float32Array;
    const bias = model.graph.initializers.get("fc.bias")!.data as Float32Array;
    const x = Float32Array.from([0.5, -1, 2, 1.5, 0.25, -0.75]);
    const t = Float32Array.from([1, -1, 0.5, 2]);
    const session = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd() });
    const lr = 0.1;
    await session.trainStep({ inputs: x, targets: t, size: 2 }, lr);
    const state = session.getState().tensors;
    for (let o = 0; o < 2; o++) {
      let gb0 = 0;
      const gw = [0, 0, 0];
      for (let n = 0; n < 2; n++) {
        let y = bias[o];
        for (let i = 0; i < 3; i++) y += W[o * 3 + i] * x[n * 3 + i];
        const e = (2 / 4) * (y - t[n * 2 + o]);
        gb0 += e;
        for (let i = 0; i < 3; i++) gw[i] += e * x[n * 3 + i];
      }
      expect(state.get("fc.bias")![o]).toBeCloseTo(bias[o] - lr * gb0, 6);
      for (let i = 0; i < 3; i++) expect(state.get("fc.weight")![o * 3 + i]).toBeCloseTo(W[o * 3 + i] - lr * gw[i], 6);
    }
    await session.release();
  });

  it("draws dropout masks from the seed: same seed same step, other seed other step; predict() uses no dropout", async () => {
    const model = smallRegressionNet(14, { dropout: 0.5 });
    const data = rampDataset(8, 15);
    const firstLoss = async (seed: number) => {
      const s = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd(), seed });
      const loss = await s.trainStep({ inputs: data.inputs, targets: data.targets, size: 8 }, 0);
      const p1 = await s.predict(data.inputs, 8);
      const p2 = await s.predict(data.inputs, 8);
      expect(p1).toEqual(p2);
      await s.release();
      return loss;
    };
    const a = await firstLoss(1);
    expect(await firstLoss(1)).toBe(a);
    expect(await firstLoss(2)).not.toBe(a);
  });

  it("builds the backward pass with user gradient rules when given", async () => {
    const { registerAllGradients } = await import("../../../optimizer/index.ts");
    const rules = registerAllGradients();
    rules.set("GlobalAveragePool", { op: "GlobalAveragePool", grad: (ctx) => ctx.fail("user rule used") });
    const s = await TrainingSession.create(smallRegressionNet(1), { loss: mseLoss(), optimizer: sgd(), gradientRules: rules });
    await expect(s.trainStep({ inputs: new Float32Array(2 * 3 * 12 * 16), targets: new Float32Array(4), size: 2 }, 0.1)).rejects.toThrow(
      /user rule used/,
    );
    await s.release();
  });

  it("trains the chosen output of a two-head model and leaves the other head's weights alone", async () => {
    const { GraphBuilder } = await import("../../../optimizer/index.ts");
    const gb = new GraphBuilder({ seed: 16 });
    const trunk = gb.flatten(
      gb.globalAveragePool(gb.relu(gb.conv(gb.input("input", ["N", 3, 12, 16]), { outChannels: 4, kernel: 3, pad: 1, name: "trunk" }))),
    );
    gb.output(gb.gemm(trunk, { outFeatures: 1, name: "headA" }));
    const headB = gb.gemm(trunk, { outFeatures: 2, name: "headB" });
    gb.output(headB);
    const model = gb.build();
    const s = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd(), output: headB });
    expect(s.targetShape).toEqual([2]);
    const data = rampDataset(8, 17);
    const first = await s.trainStep({ inputs: data.inputs, targets: data.targets, size: 8 }, 0.1);
    const second = await s.trainStep({ inputs: data.inputs, targets: data.targets, size: 8 }, 0.1);
    expect(second).toBeLessThan(first);
    const state = s.getState().tensors;
    expect(state.get("headA.weight")).toEqual(model.graph.initializers.get("headA.weight")!.data);
    expect(state.get("headB.weight")).not.toEqual(model.graph.initializers.get("headB.weight")!.data);
    expect((await s.predict(data.inputs, 3)).length).toBe(6);
    await s.release();
  });

  it("rejects bad options naming the field", async () => {
    const model = smallRegressionNet(1);
    await expect(TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd(), frozen: ["nope"] })).rejects.toThrow(/frozen.*"nope"/);
    await expect(TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd(), output: "nope" })).rejects.toThrow(/output/);
  });
});
