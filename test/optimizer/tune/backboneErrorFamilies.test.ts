import { describe, expect, it } from "vitest";
import { backboneErrorFamilies, ErrorMetric, GraphBuilder, maskMetric, recall, type LabeledDataset, type ModelRunner } from "../../../index.ts";

describe("backboneErrorFamilies", () => {
  const [h, w, n] = [8, 16, 4];
  // Lanes in columns 3 and 12 on every row; the images are the label masks themselves.
  const labels = new Float32Array(n * h * w);
  for (let s = 0; s < n; s++) for (let r = 0; r < h; r++) for (const c of [3, 12]) labels[(s * h + r) * w + c] = 1;
  const dataset: LabeledDataset = { size: n, inputShape: [1, h, w], images: labels, labels };
  // A logit network whose lane logits stay in (0, 0.5), as a retrained pruned LaneNet's did: 4.3·x − 4.
  const b = new GraphBuilder({ name: "low-logits" });
  const x = b.input("x", ["N", 1, h, w]);
  b.output(b.add(b.mul(x, b.constant("gain", [1], [4.3])), b.constant("offset", [1], [-4])));
  const model = b.build();
  const nn: ModelRunner = { name: "lanenet", model, run: async () => new Float32Array(0) };
  const lossRate = async (metric: ErrorMetric) => {
    const { pooled, byBackbone } = await backboneErrorFamilies(
      [nn],
      { lanenet: [{ name: "tiny", model, approximators: [] }] },
      [metric],
      dataset,
      {
        masks: { lanenet: [h, w] },
      },
    );
    const [p, own] = [pooled.lanenet, byBackbone["lanenet/tiny"]];
    if (p.kind !== "lane-mask" || own.kind !== "lane-mask") throw new Error("expected lane-mask families");
    expect(own.measured).toEqual(p.measured);
    return p.measured[0].lossRate;
  };

  it("measures lane masks at the threshold of the metric indexing the family", async () => {
    expect(await lossRate(new ErrorMetric(nn, maskMetric("recall", { threshold: 0 })))).toBe(0);
    expect(await lossRate(new ErrorMetric(nn, recall))).toBe(1);
  });
});
