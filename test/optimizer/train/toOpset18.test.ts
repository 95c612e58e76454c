import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { DataType, encodeModel, mseLoss, readModel, sgd, TrainingSession, type Graph, type Model } from "../../../optimizer/index.ts";
import { toOpset18 } from "../../../optimizer/train/toOpset18.ts";
import { fixtureNames, fixturePath } from "../../fixtures/onnxFixtures.ts";

async function run(model: Model, x: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  const out = await s.run({ x: new ort.Tensor("float32", x, dims) });
  await s.release();
  return model.graph.outputs.map((o) => out[o.name].data as Float32Array);
}

/** An opset-11 graph with every attribute-to-input change: Softmax(axis 1), Unsqueeze/Squeeze, ReduceMean/Sum, Split, Dropout. */
function opset11Model(): Model {
  const graph: Graph = {
    name: "g",
    inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [2, 4, 3, 2] }],
    outputs: ["soft", "logsoft", "sq", "rm", "rs", "s0", "s1", "drop"].map((name) => ({ name, dataType: DataType.FLOAT })),
    initializers: new Map(),
    valueInfo: new Map(),
    nodes: [
      { name: "n1", opType: "Softmax", domain: "", inputs: ["x"], outputs: ["soft"], attributes: { axis: 1 } },
      { name: "n2", opType: "LogSoftmax", domain: "", inputs: ["x"], outputs: ["logsoft"], attributes: { axis: -1 } },
      { name: "n3", opType: "Unsqueeze", domain: "", inputs: ["x"], outputs: ["u"], attributes: { axes: [0] } },
      { name: "n4", opType: "Squeeze", domain: "", inputs: ["u"], outputs: ["sq"], attributes: { axes: [0] } },
      { name: "n5", opType: "ReduceMean", domain: "", inputs: ["x"], outputs: ["rm"], attributes: { axes: [2, 3], keepdims: 1 } },
      { name: "n6", opType: "ReduceSum", domain: "", inputs: ["x"], outputs: ["rs"], attributes: { axes: [1], keepdims: 0 } },
      { name: "n7", opType: "Split", domain: "", inputs: ["x"], outputs: ["s0", "s1"], attributes: { axis: 1, split: [1, 3] } },
      { name: "n8", opType: "Dropout", domain: "", inputs: ["x"], outputs: ["drop"], attributes: { ratio: 0.3 } },
    ],
  };
  return { irVersion: 6, opsets: { "": 11 }, producerName: "test", producerVersion: "", docString: "", metadata: {}, graph };
}

describe("toOpset18", () => {
  it("rewrites opset-11 attribute forms and old Softmax semantics with identical outputs", async () => {
    const model = opset11Model();
    const upgraded = toOpset18(model);
    expect(upgraded.opsets[""]).toBe(18);
    expect(model.opsets[""]).toBe(11);
    const x = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7) * 3);
    const a = await run(model, x, [2, 4, 3, 2]);
    const b = await run(upgraded, x, [2, 4, 3, 2]);
    expect(b.map((t) => t.length)).toEqual(a.map((t) => t.length));
    for (let k = 0; k < a.length; k++) for (let i = 0; i < a[k].length; i++) expect(b[k][i]).toBeCloseTo(a[k][i], 6);
  });

  it("leaves opset-18 models alone and refuses opsets below 11", () => {
    const m = opset11Model();
    const m18 = { ...m, opsets: { "": 18 } };
    expect(toOpset18(m18)).toBe(m18);
    expect(() => toOpset18({ ...m, opsets: { "": 9 } }, "old.onnx")).toThrow(/old\.onnx: opset 9/);
  });

  it("every PyTorch fixture export (opsets 11, 13, 17) trains: three SGD steps lower the loss on a fixed batch", async () => {
    for (const name of fixtureNames()) {
      const model = await readModel(fixturePath(name));
      const s = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd({ momentum: 0.9 }) });
      const n = 2;
      const inputs = Float32Array.from({ length: n * s.inputSize }, (_, i) => Math.sin(i));
      const targets = new Float32Array(n * s.targetSize);
      const first = await s.trainStep({ inputs, targets, size: n }, 0.01);
      await s.trainStep({ inputs, targets, size: n }, 0.01);
      const third = await s.trainStep({ inputs, targets, size: n }, 0.01);
      expect(third, name).toBeLessThan(first);
      await s.release();
    }
  });
});
