import { describe, expect, it } from "vitest";
import { ErrorMetric, InputError, iou, l1Error, predictDataset, type LabeledDataset, type ModelRunner } from "../../../index.ts";

/** Dataset of N 1×1×2 images [x, 2x] labelled [heading = x, distance = −x]. */
function dataset(n: number): LabeledDataset {
  const images = new Float32Array(n * 2);
  const labels = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    images[2 * i] = i;
    images[2 * i + 1] = 2 * i;
    labels[2 * i] = i;
    labels[2 * i + 1] = -i;
  }
  return { size: n, inputShape: [1, 1, 2], images, labels, labelNames: ["heading", "distance"] };
}

/** Predicts heading = x + offset from the first pixel; records batch sizes. */
function headingNet(offset: number, batches: number[] = []): ModelRunner {
  return {
    name: "heading",
    async run(batch, n) {
      batches.push(n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = batch[2 * i] + offset;
      return out;
    },
  };
}

describe("ErrorMetric", () => {
  it("runs the model in batches and compares with the label column named like the model", async () => {
    const batches: number[] = [];
    const metric = new ErrorMetric(headingNet(0.5, batches), l1Error, { batchSize: 4 });
    expect(metric.name).toBe("heading.l1Error");
    expect(metric.direction).toBe("lower-better");
    expect(await metric.evaluateOn(metric.model, dataset(10))).toBeCloseTo(0.5, 6);
    expect(batches).toEqual([4, 4, 2]);
  });

  it("evaluates a different runner (an approximation) on the same columns", async () => {
    const metric = new ErrorMetric(headingNet(0), l1Error);
    expect(await metric.evaluateOn(headingNet(-2), dataset(5))).toBeCloseTo(2, 6);
  });

  it("selects output and label columns by index when evaluating raw arrays", () => {
    const net: ModelRunner = { name: "both", run: async () => new Float32Array() };
    const metric = new ErrorMetric(net, l1Error, { output: 1, label: 1, name: "distance" });
    // predictions N×2, labels N×2; column 1: pred 1, 3 vs labels 2, 2 → L1 = 1
    expect(metric.evaluate(new Float32Array([0, 1, 0, 3]), new Float32Array([9, 2, 9, 2]), 2)).toBeCloseTo(1, 6);
    expect(() => metric.evaluate(new Float32Array(4), new Float32Array(4))).toThrow(/sample count/);
  });

  it("names the missing label column", async () => {
    const metric = new ErrorMetric(headingNet(0), l1Error, { label: "yaw" });
    await expect(metric.evaluateOn(metric.model, dataset(3))).rejects.toThrow(/"yaw" not in dataset.labelNames \(heading, distance\)/);
  });

  it("takes an explicit direction for custom metrics and keeps the function's otherwise", () => {
    const net = headingNet(0);
    expect(new ErrorMetric(net, iou).direction).toBe("higher-better");
    expect(new ErrorMetric(net, l1Error, { direction: "higher-better" }).direction).toBe("higher-better");
    expect(() => new ErrorMetric(net, l1Error, { direction: "up" as never })).toThrow(InputError);
  });
});

describe("predictDataset", () => {
  it("rejects a model whose output does not split into the batch", async () => {
    const bad: ModelRunner = { name: "bad", run: async () => new Float32Array(3) };
    await expect(predictDataset(bad, dataset(2))).rejects.toThrow(/model bad: returned 3 values for a batch of 2/);
  });
});
