import { describe, expect, it } from "vitest";
import { factorizeModel } from "../../../optimizer/approx/factorizeModel.ts";
import { pruneChannels } from "../../../optimizer/approx/pruneChannels.ts";
import { cloneModel } from "../../../optimizer/onnx/cloneModel.ts";
import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { modelStats } from "../../../optimizer/onnx/modelStats.ts";
import { decodeModel, encodeModel } from "../../../optimizer/onnx/serialize.ts";
import { squeezenet1_1 } from "../../../optimizer/models/torchvisionNets.ts";
import { exportStyle } from "../../fixtures/exportStyle.ts";
import { maxRelDiff, randomInput, runModel } from "./helpers.ts";

const SHAPE = [1, 3, 16, 16];

/** Two branches whose convs get the same (non-zero) bias, so an exporter would share it; their weights differ. */
function twinBranches(): Model {
  const b = new GraphBuilder({ seed: 7 });
  const x = b.input("input", SHAPE);
  const stem = b.relu(b.conv(x, { outChannels: 8, kernel: 3, pad: 1, name: "stem" }));
  const left = b.relu(b.conv(stem, { outChannels: 6, kernel: 3, pad: 1, name: "left" }));
  const right = b.relu(b.conv(stem, { outChannels: 6, kernel: 3, pad: 1, name: "right" }));
  const l2 = b.conv(left, { outChannels: 4, kernel: 1, name: "left2" });
  const r2 = b.conv(right, { outChannels: 4, kernel: 1, name: "right2" });
  b.output(b.add(l2, r2));
  const m = b.build();
  const bias = Float32Array.from({ length: 6 }, (_, i) => 0.1 * (i + 1));
  for (const n of ["left", "right"]) (m.graph.initializers.get(`${n}.bias`)!.data as Float32Array).set(bias);
  return m;
}

function biasOf(m: Model, node: string): string {
  return m.graph.nodes.find((n) => n.name === node)!.inputs[2];
}

describe("pruning and low-rank of shared (deduplicated) initializers", () => {
  for (const sharing of ["identity", "direct"] as const) {
    it(`SqueezeNet 1.1 with ${sharing}-shared zero biases prunes as far as the unshared graph, loads and runs`, async () => {
      const plain = squeezenet1_1([64, 64]);
      exportStyle(plain, { sharing: "direct" });
      const reference = cloneModel(plain);
      // Same graph, unshared: every conv has its own (zero) bias.
      for (const n of reference.graph.nodes) {
        if (n.opType !== "Conv") continue;
        const own = `${n.name}.own_bias`;
        const t = reference.graph.initializers.get(n.inputs[2])!;
        reference.graph.initializers.set(own, { ...t, name: own, data: new Float32Array(t.data.length) });
        n.inputs[2] = own;
      }
      const exported = squeezenet1_1([64, 64]);
      const shared = exportStyle(exported, { sharing });
      expect(shared).toBeGreaterThan(10);
      // Through the serializer, as a file from torch.onnx.export would come.
      const model = decodeModel(encodeModel(exported), "squeezenet1_1.onnx");

      const before = modelStats(model).totalFlops;
      const r = pruneChannels(model, 0.5);
      const ref = pruneChannels(reference, 0.5);
      expect(r.warnings).toEqual([]);
      expect(r.groups).toEqual(ref.groups);
      const ratio = modelStats(r.model).totalFlops / before;
      expect(ratio).toBeCloseTo(modelStats(ref.model).totalFlops / modelStats(reference).totalFlops, 12);
      expect(ratio).toBeLessThan(0.34);
      // Zero biases sliced alike stay shared: one initializer per distinct (size, value).
      const pruned = r.model;
      const names = new Set(pruned.graph.nodes.filter((n) => n.opType === "Conv").map((n) => n.inputs[2]));
      expect(names.size).toBeLessThan(10);
      expect(pruned.graph.nodes.some((n) => n.opType === "Identity")).toBe(false);
      const input = randomInput(SHAPE.map((d, i) => (i < 2 ? d : 64)));
      const y = await runModel(pruned, input, [1, 3, 64, 64]);
      const yRef = await runModel(ref.model, input, [1, 3, 64, 64]);
      expect(y.length).toBe(1000);
      expect(maxRelDiff(yRef, y)).toBeLessThan(1e-6);
    });
  }

  it("SqueezeNet 1.1 exported at 224×224: amount 0.5 keeps the 1000 classes at 0.327 of the FLOPs; pruning the classes too, as Torch-Pruning's benchmark does, reaches ≤ 0.31", async () => {
    const exported = squeezenet1_1([224, 224]);
    exportStyle(exported);
    const model = decodeModel(encodeModel(exported), "squeezenet1_1.onnx");
    const before = modelStats(model);
    const ratioOf = (m: Model) => modelStats(m).totalFlops / before.totalFlops;
    const perLayer = (m: Model) =>
      new Map(
        modelStats(m)
          .layers.filter((l) => l.flops > 0)
          .map((l, i) => [l.name, l.flops / before.layers.filter((b) => b.flops > 0)[i].flops]),
      );

    // Default: every conv fed and feeding pruned channels keeps a quarter of its work; the stem
    // (3 input channels) and the classifier (1000 output classes, read by the application) keep half.
    const kept = pruneChannels(model, 0.5);
    for (const [name, r] of perLayer(kept.model))
      expect([name, r]).toEqual([name, name === "features.0" || name === "classifier.1" ? 0.5 : 0.25]);
    expect(ratioOf(kept.model)).toBeCloseTo(0.3272, 4);

    const all = pruneChannels(model, 0.5, { pruneGraphOutputs: true });
    expect(all.warnings).toEqual([]);
    expect(perLayer(all.model).get("classifier.1")).toBe(0.25);
    expect(ratioOf(all.model)).toBeLessThanOrEqual(0.31);
    expect(ratioOf(all.model)).toBeCloseTo(0.2652, 4);
    expect(all.model.graph.outputs[0].shape).toEqual([1, 500]);
    const reloaded = decodeModel(encodeModel(all.model), "pruned.onnx");
    const y = await runModel(reloaded, randomInput([1, 3, 224, 224]), [1, 3, 224, 224]);
    expect(y.length).toBe(500);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it("un-shares a bias whose readers keep different channels, each copy sliced for its reader", async () => {
    const plain = twinBranches();
    const exported = cloneModel(plain);
    expect(exportStyle(exported, { zeroBiases: false })).toBe(1);
    const r = pruneChannels(exported, 0.5);
    const ref = pruneChannels(plain, 0.5);
    const [left, right] = [biasOf(r.model, "left"), biasOf(r.model, "right")];
    expect(left).not.toBe(right);
    expect(r.model.graph.initializers.get(left)!.dims).toEqual([3]);
    expect(r.model.graph.initializers.get(right)!.dims).toEqual([3]);
    const input = randomInput(SHAPE);
    expect(maxRelDiff(await runModel(ref.model, input, SHAPE), await runModel(r.model, input, SHAPE))).toBeLessThan(1e-6);
  });

  it("keeps one shared bias, under its original name, when every reader keeps the same channels", () => {
    const exported = twinBranches();
    exportStyle(exported, { zeroBiases: false, sharing: "direct" });
    const sharedName = biasOf(exported, "left");
    expect(biasOf(exported, "right")).toBe(sharedName);
    // Rank channels by index only, so both readers drop the same ones.
    const byIndex = (g: { size: number }) => Float64Array.from({ length: g.size }, (_, i) => g.size - i);
    const r = pruneChannels(exported, 0.5, { importance: byIndex });
    const [left, right] = [biasOf(r.model, "left"), biasOf(r.model, "right")];
    expect(left).toBe(sharedName);
    expect(right).toBe(sharedName);
    expect(Array.from(r.model.graph.initializers.get(sharedName)!.data as Float32Array)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect([...r.model.graph.initializers.keys()].filter((k) => k.startsWith(sharedName))).toEqual([sharedName]);
  });

  it("low-rank factorizes convs whose bias is an Identity of a shared initializer, exactly at full rank", async () => {
    const plain = twinBranches();
    const exported = cloneModel(plain);
    exportStyle(exported, { zeroBiases: false });
    const r = factorizeModel(exported, 0, { keepUnprofitable: true });
    const ref = factorizeModel(plain, 0, { keepUnprofitable: true });
    expect(r.skipped).toEqual(ref.skipped);
    expect(r.factorized.map((f) => f.node)).toEqual(ref.factorized.map((f) => f.node));
    expect(r.factorized.map((f) => f.node)).toContain("left");
    const second = r.model.graph.nodes.filter((n) => n.name.endsWith("_1xk")).map((n) => n.inputs[2]);
    expect(new Set(second).size).toBe(second.length - 1);
    const input = randomInput(SHAPE);
    expect(maxRelDiff(await runModel(plain, input, SHAPE), await runModel(r.model, input, SHAPE))).toBeLessThan(1e-4);
  });
});
