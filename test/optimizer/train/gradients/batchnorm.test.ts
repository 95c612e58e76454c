import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { Random } from "../../../../common/index.ts";
import { DataType, encodeModel, fillDropoutMask, toTrainingGraph, type Graph, type Tensor } from "../../../../optimizer/index.ts";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { batchNormTraining } from "../../../fixtures/reference/normalization.ts";
import { unary } from "../../../fixtures/reference/elementwise.ts";

const floatConst = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.FLOAT,
  dims: [values.length],
  data: Float32Array.from(values),
});

describe("BatchNormalization in training mode (primitives from toTrainingGraph)", () => {
  it("gradients of x, scale and bias match finite differences (4-D)", () =>
    checkGradients({
      op: "BatchNormalization",
      attributes: { epsilon: 1e-3, momentum: 0.9 },
      inputs: [
        { name: "x", shape: [3, 4, 3, 5] },
        { name: "scale", shape: [4] },
        { name: "bias", shape: [4] },
        floatConst("mean", [0, 0, 0, 0]),
        floatConst("var", [1, 1, 1, 1]),
      ],
      prepare: (g) => toTrainingGraph(g).graph,
      reference: (v) => batchNormTraining(v.x, v.scale, v.bias, 1e-3).y,
    }));

  it("gradients match for 2-D input (BatchNorm1d after a Linear)", () =>
    checkGradients({
      op: "BatchNormalization",
      inputs: [
        { name: "x", shape: [6, 3] },
        { name: "scale", shape: [3] },
        { name: "bias", shape: [3] },
        floatConst("mean", [0, 0, 0]),
        floatConst("var", [1, 1, 1]),
      ],
      prepare: (g) => toTrainingGraph(g).graph,
      reference: (v) => batchNormTraining(v.x, v.scale, v.bias, 1e-5).y,
    }));

  it("reports running-stat updates: momentum blend with the batch mean and unbiased variance", async () => {
    const random = new Random(11);
    const x = Float32Array.from({ length: 2 * 3 * 4 * 4 }, () => random.normal(0.5, 2));
    const oldMean = [0.1, -0.2, 0.3];
    const oldVar = [1.5, 0.5, 2];
    const graph: Graph = {
      name: "bn",
      nodes: [
        {
          name: "bn",
          opType: "BatchNormalization",
          domain: "",
          inputs: ["x", "scale", "bias", "mean", "var"],
          outputs: ["y"],
          attributes: { epsilon: 1e-5, momentum: 0.8 },
        },
      ],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: ["batch", 3, 4, 4] }],
      outputs: [{ name: "y", dataType: DataType.FLOAT, shape: ["batch", 3, 4, 4] }],
      initializers: new Map([
        ["scale", floatConst("scale", [1, 2, 3])],
        ["bias", floatConst("bias", [0, 0, 0])],
        ["mean", floatConst("mean", oldMean)],
        ["var", floatConst("var", oldVar)],
      ]),
      valueInfo: new Map(),
    };
    const training = toTrainingGraph(graph);
    expect(training.graph.nodes.some((n) => n.opType === "BatchNormalization")).toBe(false);
    const newMean = training.runningStatUpdates.get("mean")!;
    const newVar = training.runningStatUpdates.get("var")!;
    training.graph.outputs.push({ name: newMean, dataType: DataType.FLOAT }, { name: newVar, dataType: DataType.FLOAT });
    const model = {
      irVersion: 8,
      opsets: { "": 18 },
      producerName: "",
      producerVersion: "",
      docString: "",
      metadata: {},
      graph: training.graph,
    };
    const session = await ort.InferenceSession.create(encodeModel(model));
    const out = await session.run({ x: new ort.Tensor("float32", x, [2, 3, 4, 4]) });
    await session.release();
    const ref = batchNormTraining(
      { shape: [2, 3, 4, 4], data: Float64Array.from(x) },
      { shape: [3], data: new Float64Array([1, 2, 3]) },
      { shape: [3], data: new Float64Array(3) },
      1e-5,
    );
    const y = out.y.data as Float32Array;
    for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(ref.y.data[i], 4);
    for (let c = 0; c < 3; c++) {
      expect((out[newMean].data as Float32Array)[c]).toBeCloseTo(0.8 * oldMean[c] + 0.2 * ref.mean[c], 5);
      expect((out[newVar].data as Float32Array)[c]).toBeCloseTo(0.8 * oldVar[c] + 0.2 * ref.unbiasedVar[c], 4);
    }
  });

  it("refuses BN nodes whose optional training outputs are used", () => {
    const graph: Graph = {
      name: "bn",
      nodes: [
        {
          name: "bn",
          opType: "BatchNormalization",
          domain: "",
          inputs: ["x", "s", "b", "m", "v"],
          outputs: ["y", "rm", "rv"],
          attributes: { training_mode: 1 },
        },
      ],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [1, 2, 2, 2] }],
      outputs: [],
      initializers: new Map(),
      valueInfo: new Map(),
    };
    expect(() => toTrainingGraph(graph)).toThrow(/BatchNormalization node "bn".*training outputs/);
  });
});

describe("BatchNormalization in inference form (frozen statistics)", () => {
  it("gradients of x, scale and bias match finite differences", () => {
    const mean = [0.2, -0.1, 0.4];
    const variance = [0.5, 1.5, 2];
    return checkGradients({
      op: "BatchNormalization",
      attributes: { epsilon: 1e-3 },
      inputs: [
        { name: "x", shape: [2, 3, 2, 3] },
        { name: "scale", shape: [3] },
        { name: "bias", shape: [3] },
        floatConst("mean", mean),
        floatConst("var", variance),
      ],
      reference: (v) => {
        const y = { shape: [...v.x.shape], data: new Float64Array(v.x.data.length) };
        for (let i = 0; i < y.data.length; i++) {
          const c = Math.floor(i / 6) % 3;
          const m = Math.fround(mean[c]);
          const s = Math.fround(variance[c]);
          y.data[i] = ((v.x.data[i] - m) / Math.sqrt(s + Math.fround(1e-3))) * v.scale.data[c] + v.bias.data[c];
        }
        return y;
      },
    });
  });
});

describe("Dropout in training mode", () => {
  it("becomes a product with a mask input; gradient flows through the mask", async () => {
    const mask = fillDropoutMask(new Float32Array(2 * 5), 0.3, new Random(5));
    expect(mask.every((m) => m === 0 || Math.abs(m - 1 / 0.7) < 1e-6)).toBe(true);
    let maskName = "";
    await checkGradients({
      op: "Dropout",
      inputs: [
        { name: "x", shape: [2, 5] },
        { name: "ratio", dataType: DataType.FLOAT, dims: [], data: new Float32Array([0.3]) },
      ],
      prepare: (g) => {
        const t = toTrainingGraph(g);
        expect(t.extraInputs).toHaveLength(1);
        expect(t.extraInputs[0].ratio).toBeCloseTo(0.3, 6);
        maskName = t.extraInputs[0].name;
        // Freeze the mask for the check: make it a constant instead of a fed input.
        t.graph.inputs = t.graph.inputs.filter((i) => i.name !== maskName);
        t.graph.initializers.set(maskName, { name: maskName, dataType: DataType.FLOAT, dims: [2, 5], data: mask });
        return t.graph;
      },
      reference: (v) => {
        let k = 0;
        return unary(v.x, (e) => e * mask[k++]);
      },
    });
    expect(maskName).not.toBe("");
  });

  it("draws masks deterministically from the seed", () => {
    const a = fillDropoutMask(new Float32Array(1000), 0.5, new Random(9));
    const b = fillDropoutMask(new Float32Array(1000), 0.5, new Random(9));
    expect(a).toEqual(b);
    const dropped = a.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(400);
    expect(dropped).toBeLessThan(600);
  });
});
