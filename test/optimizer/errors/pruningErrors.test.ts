import { describe, expect, it } from "vitest";
import { asModelRunner, findErrorDistribution, loadModel, Random, StructuredPruner, type LabeledDataset } from "../../../index.ts";
import { INPUT_SHAPE, residualNet } from "../approx/models.ts";

describe("findErrorDistribution with the real StructuredPruner and onnxruntime", () => {
  it("fits error families whose spread grows with the pruning-induced error level", async () => {
    const model = residualNet();
    const net = asModelRunner("net", await loadModel(model));
    // Labels are the unpruned net's own outputs, so the baseline error is zero.
    const n = 48;
    const sample = INPUT_SHAPE.slice(1).reduce((a, b) => a * b, 1);
    const rng = new Random(2);
    const images = Float32Array.from({ length: n * sample }, () => rng.normal());
    const labels = await net.run(images, n);
    const dataset: LabeledDataset = { size: n, inputShape: INPUT_SHAPE.slice(1), images, labels };
    const dist = await findErrorDistribution([new StructuredPruner({ nSteps: 3, pruneFraction: 0.3 })], [net], dataset);
    await net.nn.dispose();
    const fam = dist.family("net");
    expect(fam.kind).toBe("regression");
    if (fam.kind !== "regression") return;
    expect(fam.metric).toBe("l1Error");
    expect(fam.outputs).toHaveLength(labels.length / n);
    expect(fam.measured).toHaveLength(4);
    expect(fam.measured[0].level).toBeLessThan(1e-5);
    const levels = fam.measured.map((m) => m.level);
    expect(levels[3]).toBeGreaterThan(levels[1]);
    const spread = (level: number) => {
      const inj = dist.injectionFor("net", level);
      return inj.kind === "gaussian" ? inj.std.reduce((a, b) => a + b, 0) : NaN;
    };
    expect(spread(levels[3])).toBeGreaterThan(spread(levels[0]));
  });
});
