import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { DependencyGraph } from "../../../optimizer/approx/dependency/DependencyGraph.ts";
import { pruneChannels } from "../../../optimizer/approx/pruneChannels.ts";
import { cloneModel } from "../../../optimizer/onnx/cloneModel.ts";
import { inferShapes } from "../../../optimizer/onnx/inferShapes.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { readModel } from "../../../optimizer/onnx/serialize.ts";
import { maxRelDiff, randomInput, runModel } from "./helpers.ts";
import { concatSplitNet, depthwiseNet, INPUT_SHAPE, reshapeHeadNet, residualNet, squeezeExciteNet } from "./models.ts";
import { zeroGroupChannels } from "./zeroChannels.ts";

function paramCount(m: Model): number {
  let n = 0;
  for (const t of m.graph.initializers.values()) if (t.dataType === 1) n += t.data.length;
  return n;
}

/**
 * Zeroes ⌈size/2⌉ seeded-random channels of every prunable group, then prunes
 * at fraction 0.5: L1 importance must pick exactly the zeroed channels, and
 * removing them must not change the outputs.
 */
async function checkZeroPruning(original: Model, shape: number[]): Promise<{ before: number; after: number; groups: number }> {
  const model = cloneModel(original);
  const dg = DependencyGraph.build(model);
  const rng = new Random(7);
  let groups = 0;
  for (const g of dg.groups()) {
    if (!g.prunable || g.size < 2) continue;
    groups++;
    const chans = rng.shuffle(Array.from({ length: g.size }, (_, i) => i)).slice(0, g.size - Math.floor(g.size / 2));
    zeroGroupChannels(model, g, chans);
  }
  const input = randomInput(shape);
  const expected = await runModel(model, input, shape);
  const { model: pruned } = pruneChannels(model, 0.5);
  const actual = await runModel(pruned, input, shape);
  expect(actual.length).toBe(expected.length);
  expect(maxRelDiff(expected, actual)).toBeLessThan(1e-5);
  const shapes = inferShapes(pruned);
  for (const o of pruned.graph.outputs) expect(shapes.get(o.name)?.shape).toEqual(o.shape);
  // Every prunable group of the pruned model is half its original size (rounded down).
  const before = new Map(
    dg
      .groups()
      .filter((g) => g.prunable)
      .map((g) => [g.key, g.size]),
  );
  for (const g of DependencyGraph.build(pruned).groups()) {
    if (g.prunable) expect(g.size).toBe(Math.max(1, Math.floor(before.get(g.key)! / 2)));
  }
  return { before: paramCount(model), after: paramCount(pruned), groups };
}

describe("pruning zero-weight channels leaves outputs unchanged", () => {
  it("across residual Add and BatchNorm", async () => {
    const r = await checkZeroPruning(residualNet(), INPUT_SHAPE);
    expect(r.groups).toBeGreaterThanOrEqual(4);
    expect(r.after).toBeLessThan(r.before * 0.5);
  });

  it("across Concat offsets and an uneven channel Split", async () => {
    const r = await checkZeroPruning(concatSplitNet(), INPUT_SHAPE);
    expect(r.groups).toBeGreaterThanOrEqual(5);
    expect(r.after).toBeLessThan(r.before * 0.6);
  });

  it("across depthwise convs (channel multiplier 2), Clip and ConvTranspose", async () => {
    const r = await checkZeroPruning(depthwiseNet(), INPUT_SHAPE);
    expect(r.groups).toBeGreaterThanOrEqual(2);
    expect(r.after).toBeLessThan(r.before * 0.6);
  });

  it("across Flatten/Reshape → Gemm and MatMul heads", async () => {
    const r = await checkZeroPruning(reshapeHeadNet(), INPUT_SHAPE);
    expect(r.groups).toBe(2);
    expect(r.after).toBeLessThan(r.before * 0.6);
  });

  it("across squeeze-excitation gating and per-channel constants (Sub, Mul, PRelu)", async () => {
    const r = await checkZeroPruning(squeezeExciteNet(), INPUT_SHAPE);
    expect(r.groups).toBe(2);
    expect(r.after).toBeLessThan(r.before * 0.6);
  });

  const fixtures = [
    "resnet_op11",
    "resnet_bn_op13",
    "vgg_op11_dynbatch_nofold",
    "vgg_op13_dynbatch",
    "squeezenet_op17",
    "mobilenetv2_op11",
    "mobilenetv2_op13",
    "unet_bilinear_op11",
    "unet_nearest_op13",
    "unet_transpose_op17",
  ];
  for (const name of fixtures) {
    it(`on the PyTorch export ${name}`, async () => {
      const path = `test/fixtures/onnx/${name}.onnx`;
      const model = await readModel(path);
      const shape = JSON.parse(readFileSync(path.replace(/\.onnx$/, ".json"), "utf8")).input.shape as number[];
      expect(DependencyGraph.build(model).warnings).toEqual([]);
      const r = await checkZeroPruning(model, shape);
      expect(r.groups).toBeGreaterThanOrEqual(3);
      expect(r.after).toBeLessThan(r.before * 0.7);
    });
  }
});
