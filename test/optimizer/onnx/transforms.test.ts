import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import {
  GraphBuilder,
  cloneModel,
  consumersOf,
  encodeModel,
  foldBatchNorm,
  foldConstants,
  inferShapes,
  insertNodes,
  producerOf,
  readModel,
  removeDeadNodes,
  removeUnusedInitializers,
  renameValue,
  replaceNode,
  uniqueName,
  validateModel,
  type Model,
} from "../../../optimizer/index.ts";
import { fixturePath, fixtureReference } from "../../fixtures/onnxFixtures.ts";

async function runOrt(model: Model, input: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
  const s = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor("float32", input, dims) });
    const t = out[s.outputNames[0]];
    return { data: t.data as Float32Array, dims: [...t.dims] };
  } finally {
    await s.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randomInput(n: number, seed = 1): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

describe("graph editing", () => {
  it("replaces, inserts, renames and removes dead nodes and initializers", async () => {
    const b = new GraphBuilder({ seed: 2 });
    const x = b.input("x", [1, 2, 4, 4]);
    const c = b.conv(x, { outChannels: 3, kernel: 1, name: "conv" });
    const r = b.relu(c);
    b.sigmoid(c); // dead branch
    b.output(r);
    const model = b.build();
    const before = await runOrt(model, randomInput(32), [1, 2, 4, 4]);
    expect(producerOf(model.graph, r)!.opType).toBe("Relu");
    expect(consumersOf(model.graph, c).map((n) => n.opType)).toEqual(["Relu", "Sigmoid"]);

    expect(removeDeadNodes(model.graph)).toBe(1);
    // Relu → LeakyRelu(alpha 0) is the same function.
    const relu = producerOf(model.graph, r)!;
    replaceNode(model.graph, relu, [{ ...relu, name: "lrelu", opType: "LeakyRelu", attributes: { alpha: 0 } }]);
    // Insert an Identity after the conv and route the activation through it.
    const idOut = uniqueName(model.graph, "conv_id");
    const conv = producerOf(model.graph, c)!;
    insertNodes(model.graph, [{ name: "id", opType: "Identity", domain: "", inputs: [c], outputs: [idOut], attributes: {} }], conv);
    producerOf(model.graph, r)!.inputs[0] = idOut;
    renameValue(model.graph, r, "y");
    renameValue(model.graph, "conv.weight", "w");
    expect(() => renameValue(model.graph, "w", "x")).toThrow(/already exists/);
    model.graph.initializers.set("unused", { name: "unused", dataType: 1, dims: [1], data: new Float32Array(1) });
    expect(removeUnusedInitializers(model.graph)).toBe(1);
    validateModel(model, "edited");
    expect(model.graph.outputs[0].name).toBe("y");
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(["Conv", "Identity", "LeakyRelu"]);
    const after = await runOrt(model, randomInput(32), [1, 2, 4, 4]);
    // (LeakyRelu(0) yields -0 where Relu yields 0: compare by value.)
    expect(maxAbsDiff(after.data, before.data)).toBe(0);
  });
});

describe("foldConstants", () => {
  it("folds PyTorch's dynamic-batch Shape/Gather/Unsqueeze/Concat chain and keeps the batch dynamic", async () => {
    const name = "vgg_op13_dynbatch";
    const model = await readModel(fixturePath(name));
    const ref = fixtureReference(name);
    const folded = cloneModel(model);
    const result = foldConstants(folded);
    const ops = folded.graph.nodes.map((n) => n.opType);
    for (const op of ["Shape", "Gather", "Unsqueeze", "Concat", "Constant"]) expect(ops).not.toContain(op);
    expect(result.foldedNodes).toBeGreaterThan(0);
    validateModel(folded, name);
    const reshape = folded.graph.nodes.find((n) => n.opType === "Reshape")!;
    expect([...(folded.graph.initializers.get(reshape.inputs[1])!.data as BigInt64Array)]).toEqual([0n, -1n]);
    const x1 = Float32Array.from(ref.input.data);
    const y1 = await runOrt(folded, x1, ref.input.shape);
    expect(maxAbsDiff(y1.data, Float32Array.from(ref.outputs[0].data))).toBeLessThan(1e-4);
    // Batch 2 still works after folding and matches the unfolded model.
    const x2 = randomInput(2 * 3 * 32 * 32, 4);
    const a = await runOrt(model, x2, [2, 3, 32, 32]);
    const b = await runOrt(folded, x2, [2, 3, 32, 32]);
    expect(b.dims).toEqual([2, 10]);
    expect(maxAbsDiff(a.data, b.data)).toBe(0);
  });

  it("turns Constant Clip bounds (MobileNetV2 export) into initializers", async () => {
    const model = await readModel(fixturePath("mobilenetv2_op11"));
    expect(model.graph.nodes.some((n) => n.opType === "Constant")).toBe(true);
    const ref = fixtureReference("mobilenetv2_op11");
    foldConstants(model);
    expect(model.graph.nodes.some((n) => n.opType === "Constant")).toBe(false);
    const clip = model.graph.nodes.find((n) => n.opType === "Clip")!;
    expect(model.graph.initializers.has(clip.inputs[1])).toBe(true);
    const y = await runOrt(model, Float32Array.from(ref.input.data), ref.input.shape);
    expect(maxAbsDiff(y.data, Float32Array.from(ref.outputs[0].data))).toBeLessThan(1e-4);
  });
});

describe("foldBatchNorm", () => {
  for (const name of ["resnet_bn_op13", "vgg_op11_dynbatch_nofold"]) {
    it(`${name}: folds every BatchNormalization and preserves outputs`, async () => {
      const model = await readModel(fixturePath(name));
      const ref = fixtureReference(name);
      const bnCount = model.graph.nodes.filter((n) => n.opType === "BatchNormalization").length;
      expect(bnCount).toBeGreaterThan(2);
      const paramsBefore = model.graph.initializers.size;
      expect(foldBatchNorm(model)).toBe(bnCount);
      expect(model.graph.nodes.some((n) => n.opType === "BatchNormalization")).toBe(false);
      expect(model.graph.initializers.size).toBeLessThan(paramsBefore);
      validateModel(model, name);
      inferShapes(model);
      const y = await runOrt(model, Float32Array.from(ref.input.data), ref.input.shape);
      expect(maxAbsDiff(y.data, Float32Array.from(ref.outputs[0].data))).toBeLessThan(1e-4);
    });
  }

  it("folds into ConvTranspose (grouped, with and without bias) and copies shared weights", async () => {
    const b = new GraphBuilder({ seed: 11 });
    const x = b.input("x", [1, 4, 5, 5]);
    const t1 = b.batchNorm(b.convTranspose(x, { outChannels: 6, kernel: 3, stride: 2, pad: 1, groups: 2 }));
    const t2 = b.batchNorm(b.convTranspose(x, { outChannels: 6, kernel: 3, stride: 2, pad: 1, bias: false }));
    const c1 = b.conv(b.relu(t1), { outChannels: 4, kernel: 3, pad: 1, name: "shared" });
    // A second Conv reading the same weights, not followed by BN.
    const c2 = b.node("Conv", [b.relu(t2), "shared.weight", "shared.bias"], { pads: [1, 1, 1, 1] })[0];
    const bn = b.batchNorm(c1);
    b.output(b.add(bn, c2));
    const model = b.build();
    const input = randomInput(100, 3);
    const before = await runOrt(model, input, [1, 4, 5, 5]);
    const folded = cloneModel(model);
    expect(foldBatchNorm(folded)).toBe(3);
    validateModel(folded, "folded");
    expect(folded.graph.initializers.has("shared.weight")).toBe(true);
    const after = await runOrt(folded, input, [1, 4, 5, 5]);
    expect(maxAbsDiff(before.data, after.data)).toBeLessThan(1e-4);
  });
});
