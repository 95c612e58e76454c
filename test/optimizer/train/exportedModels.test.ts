import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { annotateShapes, buildBackward, DataType, encodeModel, readModel, toTrainingGraph, type Graph } from "../../../optimizer/index.ts";
import { fixturePath, fixtureReference } from "../../fixtures/onnxFixtures.ts";

/**
 * PyTorch exports whose forward ops keep their meaning at opset 18 (the training graph's opset), covering
 * residual Adds, training-mode BatchNorm, Clip (ReLU6), depthwise convs, Concat (fire modules, U-Net skips),
 * nearest/bilinear Resize, ConvTranspose and the Shape→Gather→Concat→Reshape flatten.
 */
const MODELS = [
  "resnet_bn_op13",
  "mobilenetv2_op13",
  "squeezenet_op17",
  "unet_nearest_op13",
  "unet_bilinear_op11",
  "unet_transpose_op17",
  "vgg_op13_dynbatch",
];

/**
 * Builds loss = Σ y·R (R fixed random) on the training form of the model, with every float parameter a graph
 * input, plus its backward graph. Returns the session inputs and the gradient names.
 */
async function trainingModel(name: string) {
  const reference = fixtureReference(name);
  const model = await readModel(fixturePath(name));
  // Two images so BatchNorm's batch statistics are meaningful; the second is the first mirrored.
  const [n, c, h, w] = reference.input.shape;
  expect(n).toBe(1);
  const inputName = model.graph.inputs[0].name;
  model.graph.inputs[0].shape = [2, c, h, w];
  for (const o of model.graph.outputs) o.shape = undefined;
  annotateShapes(model);
  const training = toTrainingGraph(model.graph);
  const graph: Graph = training.graph;
  const random = new Random(17);
  const output = graph.outputs[0];
  const outShape = [2, ...reference.outputs[0].shape.slice(1)];
  const size = outShape.reduce((a, b) => a * b, 1);
  graph.initializers.set("lossWeights", {
    name: "lossWeights",
    dataType: DataType.FLOAT,
    dims: outShape,
    data: Float32Array.from({ length: size }, () => random.uniform(-1, 1)),
  });
  graph.nodes.push(
    { name: "lossMul", opType: "Mul", domain: "", inputs: [output.name, "lossWeights"], outputs: ["lossTerms"], attributes: {} },
    { name: "lossSum", opType: "ReduceSum", domain: "", inputs: ["lossTerms"], outputs: ["loss"], attributes: { keepdims: 0 } },
  );
  graph.valueInfo.set("lossTerms", { name: "lossTerms", dataType: DataType.FLOAT, shape: output.shape });
  graph.valueInfo.set("loss", { name: "loss", dataType: DataType.FLOAT, shape: [] });
  const used = new Set(graph.nodes.flatMap((n) => n.inputs));
  const params = [...graph.initializers.values()].filter(
    (t) => t.dataType === DataType.FLOAT && used.has(t.name) && t.name !== "lossWeights" && !training.runningStatUpdates.has(t.name),
  );
  const backward = buildBackward(graph, { loss: "loss", wrt: params.map((p) => p.name) });
  graph.nodes.push(...backward.nodes);
  for (const p of params) {
    graph.initializers.delete(p.name);
    graph.inputs.push({ name: p.name, dataType: DataType.FLOAT, shape: p.dims });
  }
  graph.outputs = [
    { name: "loss", dataType: DataType.FLOAT },
    ...params.map((p) => ({ name: backward.gradients.get(p.name)!, dataType: DataType.FLOAT })),
  ];
  // Training graphs run at opset 18 (overlapping MaxPool gradients scatter-add, opset ≥ 16); these exports'
  // forward ops mean the same there.
  const session = await ort.InferenceSession.create(encodeModel({ ...model, opsets: { "": 18 }, irVersion: 8, graph }), {
    intraOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  const image = Float32Array.from(reference.input.data);
  const batch = new Float32Array(2 * image.length);
  batch.set(image);
  for (let k = 0; k < c * h; k++) for (let x = 0; x < w; x++) batch[image.length + k * w + x] = image[k * w + (w - 1 - x)];
  return { session, params, gradients: backward.gradients, feeds: { [inputName]: new ort.Tensor("float32", batch, [2, c, h, w]) } };
}

describe("buildBackward on PyTorch exports", () => {
  for (const name of MODELS) {
    it(`${name}: directional derivative matches central differences of the loss`, async () => {
      const { session, params, gradients, feeds } = await trainingModel(name);
      const random = new Random(23);
      // Perturb each tensor relative to its own scale, small enough not to cross ReLU/max kinks.
      const direction = params.map((p) => {
        const data = p.data as Float32Array;
        const rms = Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length) || 1;
        return Float32Array.from(data, () => random.normal() * rms);
      });
      const run = async (step: number) => {
        const f: Record<string, ort.Tensor> = { ...feeds };
        params.forEach((p, i) => {
          const data = Float32Array.from(p.data as Float32Array, (v, k) => v + step * direction[i][k]);
          f[p.name] = new ort.Tensor("float32", data, p.dims);
        });
        return session.run(f);
      };
      const at = await run(0);
      let predicted = 0;
      params.forEach((p, i) => {
        const g = at[gradients.get(p.name)!].data as Float32Array;
        expect(g.length).toBe(direction[i].length);
        for (let k = 0; k < g.length; k++) predicted += g[k] * direction[i][k];
      });
      // float32 differences of a piecewise-linear net: too small a step drowns in rounding (|loss| ~ 15), too
      // large a one crosses ReLU/max kinks. At 3e-4 the seen errors are 0.01–1.5%; wiring bugs (a lost
      // contribution, a wrong broadcast reduction) show up as tens of percent. Each rule alone is checked
      // against float64 differences in gradients/*.test.ts.
      const eps = 3e-4;
      const plus = (await run(eps)).loss.data as Float32Array;
      const minus = (await run(-eps)).loss.data as Float32Array;
      await session.release();
      const measured = (plus[0] - minus[0]) / (2 * eps);
      expect(Number.isFinite(predicted)).toBe(true);
      expect(Math.abs(predicted - measured) / Math.abs(measured), `predicted ${predicted}, measured ${measured}`).toBeLessThan(3e-2);
    });
  }
});
