import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { factorizeModel } from "../../../optimizer/approx/factorizeModel.ts";
import { kernelSvd } from "../../../optimizer/approx/lowrank/factorizeConv.ts";
import { LowRankFactorizer } from "../../../optimizer/approx/LowRankFactorizer.ts";
import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import { inferShapes } from "../../../optimizer/onnx/inferShapes.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { modelStats } from "../../../optimizer/onnx/modelStats.ts";
import { readModel } from "../../../optimizer/onnx/serialize.ts";
import { TensorDataset } from "../../../optimizer/data/TensorDataset.ts";
import { mseLoss } from "../../../optimizer/train/losses/mseLoss.ts";
import { adam } from "../../../optimizer/train/optimizers/adam.ts";
import { ConstantSchedule } from "../../../optimizer/train/schedules/ConstantSchedule.ts";
import { maxRelDiff, randomInput, runModel } from "./helpers.ts";
import { INPUT_SHAPE } from "./models.ts";

/** Convs with BatchNorm, strides, asymmetric pads, dilation and a non-square kernel. */
function convNet(): Model {
  const b = new GraphBuilder({ seed: 11 });
  let x = b.relu(b.batchNorm(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 16, kernel: 3, pad: 1, bias: false })));
  x = b.relu(b.conv(x, { outChannels: 24, kernel: [3, 5], stride: [2, 1], pad: [1, 2, 0, 1], dilation: [1, 2] }));
  x = b.relu(b.conv(x, { outChannels: 32, kernel: 3, stride: 2, pad: 1, bias: false }));
  x = b.conv(x, { outChannels: 32, kernel: 3, pad: 1 });
  b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 4 }));
  return b.build();
}

describe("low-rank factorization", () => {
  it("reproduces the original outputs at full rank (strides, pads, dilations, K×L kernels, folded BN)", async () => {
    const model = convNet();
    const r = factorizeModel(model, 0, { keepUnprofitable: true });
    expect(r.factorized.map((f) => f.rank)).toEqual([9, 48, 72, 96]);
    expect(r.model.graph.nodes.filter((n) => n.opType === "BatchNormalization")).toHaveLength(0);
    const input = randomInput(INPUT_SHAPE);
    const expected = await runModel(model, input, INPUT_SHAPE);
    const actual = await runModel(r.model, input, INPUT_SHAPE);
    expect(maxRelDiff(expected, actual)).toBeLessThan(1e-5);
  });

  const fixtures = ["resnet_bn_op13", "vgg_op11_dynbatch_nofold", "squeezenet_op17", "mobilenetv2_op13", "unet_transpose_op17"];
  for (const name of fixtures) {
    it(`reproduces the PyTorch export ${name} at full rank; truncated levels run and pass shape inference`, async () => {
      const path = `test/fixtures/onnx/${name}.onnx`;
      const model = await readModel(path);
      const shape = JSON.parse(readFileSync(path.replace(/\.onnx$/, ".json"), "utf8")).input.shape as number[];
      const full = factorizeModel(model, 0, { keepUnprofitable: true });
      expect(full.factorized.length).toBeGreaterThan(0);
      const input = randomInput(shape);
      const expected = await runModel(model, input, shape);
      expect(maxRelDiff(expected, await runModel(full.model, input, shape))).toBeLessThan(1e-5);
      const cut = factorizeModel(model, 0.75);
      inferShapes(cut.model);
      expect((await runModel(cut.model, input, shape)).length).toBe(expected.length);
      const [after, before] = [cut.model, model].map((m) => modelStats(m, { batch: 1 }).totalFlops);
      if (cut.factorized.length > 0) expect(after).toBeLessThan(before);
      else expect(after).toBe(before);
    });
  }

  it("skips layers where the factorization would not save MACs (r·K·(c_in+c_out) ≥ K²·c_in·c_out)", () => {
    const r = factorizeModel(convNet(), 0.5);
    // Stem 3→16: full rank 9, r = 5, and 5·3·(3+16) = 285 < 9·3·16 = 432, so it is factorized.
    const byName = new Map(r.factorized.map((f) => [f.node, f.rank]));
    expect([...byName.values()]).toContain(5);
    // 32→32 3×3 at half rank: 48·3·64 = 9216 ≥ 9·1024 = 9216 → skipped.
    expect(r.skipped.some((s) => /rank 48 of 96 would not save MACs/.test(s.reason))).toBe(true);
  });

  it("yields levels whose FLOPs fall as ranks shrink; every level runs and passes shape inference", async () => {
    const model = convNet();
    const flops = [modelStats(model).totalFlops];
    const f = new LowRankFactorizer({ nSteps: 3, rankFraction: 0.5 });
    const fractions: number[] = [];
    const input = randomInput(INPUT_SHAPE);
    for await (const level of f.levels(model)) {
      fractions.push(level.fraction);
      inferShapes(level.model);
      const out = await runModel(level.model, input, INPUT_SHAPE);
      expect(out.length).toBe(4);
      flops.push(modelStats(level.model).totalFlops);
    }
    expect(fractions).toEqual([0.5, 0.75, 0.875]);
    for (let i = 1; i < flops.length; i++) expect(flops[i]).toBeLessThan(flops[i - 1]);
  });

  it("uses the randomized truncated SVD for large kernels, nearly as accurate as the exact one", async () => {
    const b = new GraphBuilder({ seed: 12 });
    const shape = [1, 96, 8, 8];
    b.output(b.conv(b.input("input", shape), { outChannels: 96, kernel: 3, pad: 1 }));
    const model = b.build();
    const w = model.graph.initializers.get(model.graph.nodes[0].inputs[1])!;
    const exactCache = new Map([[`${w.name}@${w.dims.join("x")}`, kernelSvd(w.data as Float32Array, w.dims)]]);
    const exact = factorizeModel(model, 0.75, { svdCache: exactCache });
    const randomized = factorizeModel(model, 0.75);
    expect(randomized.factorized).toEqual([{ node: model.graph.nodes[0].name, rank: 72, fullRank: 288 }]);
    const input = randomInput(shape);
    const y = await runModel(model, input, shape);
    const dist = (z: Float32Array) => Math.sqrt(z.reduce((s, v, i) => s + (v - y[i]) ** 2, 0));
    const eExact = dist(await runModel(exact.model, input, shape));
    const eRandomized = dist(await runModel(randomized.model, input, shape));
    expect(eRandomized).toBeLessThan(eExact * 1.1);
    expect(eExact).toBeGreaterThan(0);
  });

  it("fine-tunes each level when given a recipe", async () => {
    const model = convNet();
    const n = 16;
    const inputs = randomInput([n, ...INPUT_SHAPE.slice(1)], 9);
    const targets = new Float32Array(n * 4);
    const size = 3 * 16 * 16;
    for (let i = 0; i < n; i++) targets.set(await runModel(model, inputs.subarray(i * size, (i + 1) * size), INPUT_SHAPE), i * 4);
    const mse = async (m: Model) => {
      let e = 0;
      for (let i = 0; i < n; i++) {
        const y = await runModel(m, inputs.subarray(i * size, (i + 1) * size), INPUT_SHAPE);
        for (let j = 0; j < 4; j++) e += (y[j] - targets[i * 4 + j]) ** 2;
      }
      return e / (n * 4);
    };
    const recipe = {
      train: new TensorDataset({ inputs, targets, inputShape: [3, 16, 16], targetShape: [4] }),
      loss: mseLoss(),
      optimizer: adam(),
      schedule: new ConstantSchedule(0.002),
      batchSize: 8,
      epochs: 6,
    };
    const first = async (f: LowRankFactorizer) => {
      for await (const l of f.levels(model)) return l.model;
      throw new Error("no level");
    };
    const plain = await first(new LowRankFactorizer({ nSteps: 1, rankFraction: 0.8 }));
    const tuned = await first(new LowRankFactorizer({ nSteps: 1, rankFraction: 0.8, finetune: recipe }));
    expect(modelStats(tuned).totalFlops).toBe(modelStats(plain).totalFlops);
    expect(await mse(tuned)).toBeLessThan((await mse(plain)) * 0.8);
  });

  it("rejects fractions outside [0, 1) and bad step counts", () => {
    expect(() => factorizeModel(convNet(), 1)).toThrow(/fraction: must be in \[0, 1\)/);
    expect(() => factorizeModel(convNet(), -0.1)).toThrow(/fraction/);
    expect(() => new LowRankFactorizer({ nSteps: 0 })).toThrow(/nSteps/);
    expect(() => new LowRankFactorizer({ nSteps: 2, rankFraction: 1 })).toThrow(/rankFraction/);
  });
});
