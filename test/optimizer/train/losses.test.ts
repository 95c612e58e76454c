import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { GraphWriter } from "../../../optimizer/train/GraphWriter.ts";
import { bceWithLogitsLoss, l1Loss, mseLoss, smoothL1Loss, softmaxCrossEntropyLoss, type Loss } from "../../../optimizer/train/losses/index.ts";
import { annotateShapes, buildBackward } from "../../../optimizer/index.ts";
import { emptyGraph, modelOf, runGraph } from "./fixtures/runGraph.ts";

const shape = [3, 4, 2, 2];
const size = shape.reduce((a, b) => a * b, 1);

function data(seed: number, scale: number) {
  const r = new Random(seed);
  return Float32Array.from({ length: size }, () => r.normal(0, scale));
}

/** Targets per loss kind: 0/1 for BCE, one-hot over axis 1 for softmax CE, reals otherwise. */
function targetFor(loss: Loss): Float32Array {
  const r = new Random(9);
  if (loss.kind === "bce-with-logits") return Float32Array.from({ length: size }, () => (r.chance(0.3) ? 1 : 0));
  if (loss.kind === "softmax-cross-entropy") {
    const t = new Float32Array(size);
    const inner = shape[2] * shape[3];
    for (let n = 0; n < shape[0]; n++) for (let k = 0; k < inner; k++) t[(n * shape[1] + r.int(0, shape[1] - 1)) * inner + k] = 1;
    return t;
  }
  return data(9, 1);
}

async function onnxLoss(loss: Loss, x: Float32Array, t: Float32Array): Promise<number> {
  const g = emptyGraph();
  const w = new GraphWriter(g, "loss");
  const out = loss.append(w, w.input("x", shape), w.input("t", shape));
  w.output(out, []);
  const res = await runGraph(g, { x: [x, shape], t: [t, shape] });
  expect(res[out].length).toBe(1);
  return res[out][0];
}

describe("losses appended as ONNX nodes", () => {
  const losses = [l1Loss(), mseLoss(), smoothL1Loss(0.5), bceWithLogitsLoss(3), bceWithLogitsLoss(), softmaxCrossEntropyLoss()];
  for (const loss of losses) {
    it(`${loss.kind} gives a scalar equal to the float64 reference`, async () => {
      const x = data(1, 2);
      const t = targetFor(loss);
      const ref = loss.compute(x, t, shape);
      expect(ref).toBeGreaterThan(0);
      expect(await onnxLoss(loss, x, t)).toBeCloseTo(ref, 5);
    });
  }

  it("BCE with logits stays finite for extreme logits", async () => {
    const loss = bceWithLogitsLoss(2);
    const x = Float32Array.from({ length: size }, (_, i) => (i % 2 ? 200 : -200));
    const t = Float32Array.from({ length: size }, (_, i) => (i % 3 ? 1 : 0));
    const v = await onnxLoss(loss, x, t);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo(loss.compute(x, t, shape), 2);
  });

  it("smooth L1 is quadratic below beta and linear above", () => {
    const l = smoothL1Loss(1);
    expect(l.compute([0.5], [0], [1])).toBeCloseTo(0.125, 12);
    expect(l.compute([3], [0], [1])).toBeCloseTo(2.5, 12);
  });
});

describe("loss gradients through buildBackward", () => {
  const losses = [l1Loss(), mseLoss(), smoothL1Loss(0.5), bceWithLogitsLoss(3), softmaxCrossEntropyLoss()];
  for (const loss of losses) {
    it(`${loss.kind}: d(loss)/d(prediction) matches float64 central differences`, async () => {
      const g = emptyGraph();
      const w = new GraphWriter(g, "loss");
      const x = w.input("x", shape);
      const out = loss.append(w, x, w.input("t", shape));
      annotateShapes(modelOf(g));
      const backward = buildBackward(g, { loss: out, wrt: [x] });
      g.nodes.push(...backward.nodes);
      w.output(backward.gradients.get(x)!, shape);
      // Keep |p − t| away from the kinks of L1 / smooth L1 so differences are smooth.
      const xs = data(3, 1.5);
      const t = targetFor(loss);
      const res = await runGraph(g, { x: [xs, shape], t: [t, shape] });
      const grad = res[backward.gradients.get(x)!];
      const h = 1e-4;
      const x64 = Float64Array.from(xs);
      let maxErr = 0;
      let maxRef = 0;
      for (let i = 0; i < size; i++) {
        const v = x64[i];
        x64[i] = v + h;
        const up = loss.compute(x64, t, shape);
        x64[i] = v - h;
        const down = loss.compute(x64, t, shape);
        x64[i] = v;
        const fd = (up - down) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
        maxRef = Math.max(maxRef, Math.abs(fd));
      }
      expect(maxRef).toBeGreaterThan(0);
      expect(maxErr / maxRef).toBeLessThan(1e-3);
    });
  }
});
