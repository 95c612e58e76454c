import { describe, expect, it } from "vitest";
import { GraphBuilder, formatModelSummary, modelStats, readModel } from "../../../optimizer/index.ts";
import { fixturePath } from "../../fixtures/onnxFixtures.ts";

function handNet() {
  const b = new GraphBuilder({ seed: 1 });
  const x = b.input("x", ["N", 3, 8, 8]);
  let y = b.conv(x, { outChannels: 4, kernel: 3, pad: 1, name: "c1" });
  y = b.relu(b.batchNorm(y, { name: "bn" }));
  y = b.maxPool(y, { kernel: 2 });
  y = b.conv(y, { outChannels: 4, kernel: 3, pad: 1, groups: 4, bias: false, name: "dw" });
  y = b.convTranspose(y, { outChannels: 2, kernel: 2, stride: 2, name: "up" });
  y = b.flatten(b.globalAveragePool(y));
  b.output(b.gemm(y, { outFeatures: 3, name: "fc" }));
  return b.build();
}

describe("modelStats", () => {
  it("matches hand-computed FLOPs and params", () => {
    const s = modelStats(handNet());
    const byName = new Map(s.layers.map((l) => [l.name, l]));
    // c1: out 4×8×8, 3·3·3 MACs each.
    expect(byName.get("c1")!.macs).toBe(4 * 8 * 8 * 27);
    expect(byName.get("c1")!.params).toBe(4 * 27 + 4);
    // depthwise: out 4×4×4, 9 MACs each.
    expect(byName.get("dw")!.macs).toBe(4 * 4 * 4 * 9);
    // transpose: 4×4×4 inputs, each scattered into 2·2·2 outputs.
    expect(byName.get("up")!.macs).toBe(64 * 8);
    expect(byName.get("up")!.params).toBe(4 * 2 * 4 + 2);
    expect(byName.get("fc")!.macs).toBe(6);
    expect(byName.get("bn")!.params).toBe(8);
    expect(s.totalFlops).toBe(2 * (6912 + 576 + 512 + 6));
    expect(s.totalParams).toBe(112 + 8 + 36 + 34 + 9);
    // conv1 bias 256 + BN 2·256 + ReLU 256 + maxpool 64·4 + convT bias 128 + GAP 128 + fc bias 3.
    expect(s.otherFlops).toBe(256 + 512 + 256 + 256 + 128 + 128 + 3);
    expect(byName.get("c1")!.outputShapes).toEqual([[1, 4, 8, 8]]);
    // Batch scales the work, not the params.
    const s2 = modelStats(handNet(), { batch: 2 });
    expect(s2.totalFlops).toBe(2 * s.totalFlops);
    expect(s2.totalParams).toBe(s.totalParams);
  });

  it("summarises a PyTorch fixture", async () => {
    const model = await readModel(fixturePath("resnet_op11"));
    const s = modelStats(model);
    const convs = s.layers.filter((l) => l.opType === "Conv");
    expect(convs.length).toBe(9); // stem + 2 + (2 + downsample) × 2
    // Stem: 3→8, 3×3 at 32×32.
    expect(convs[0].flops).toBe(2 * 8 * 32 * 32 * 27);
    const initializerFloats = [...model.graph.initializers.values()].reduce((n, t) => n + t.data.length, 0);
    expect(s.totalParams).toBe(initializerFloats);
    const text = formatModelSummary(s, "resnet");
    expect(text).toContain("total params: " + s.totalParams.toLocaleString("en-US"));
    expect(text.split("\n").length).toBe(s.layers.length + 7);
  });

  it("asks for shapes when a non-batch dim is symbolic", () => {
    const b = new GraphBuilder();
    const x = b.input("x", [1, 3, "H", "W"]);
    b.output(b.relu(x));
    expect(() => modelStats(b.build(), { where: "m.onnx" })).toThrow(/m\.onnx: input "x" has symbolic dim H at axis 2/);
    expect(modelStats(b.build(), { inputShapes: { x: [1, 3, 4, 4] } }).otherFlops).toBe(48);
  });
});
