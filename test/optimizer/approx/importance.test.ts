import { describe, expect, it } from "vitest";
import { DependencyGraph } from "../../../optimizer/approx/dependency/DependencyGraph.ts";
import { balancedL1Importance, l1Importance } from "../../../optimizer/approx/importance.ts";
import { pruneChannels } from "../../../optimizer/approx/pruneChannels.ts";
import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { maxRelDiff, randomInput, runModel } from "./helpers.ts";

const SHAPE = [1, 3, 8, 8];

/**
 * conv 3×3 (8 filters, L1 rising with the channel) → BN (scale 1, shift 0.5)
 * → ReLU → 1×1 classifier reading channels 0–3 with weight 1 and 4–7 with
 * 0.01: the classifier needs 0–3, while the filters — whose scale the BN
 * undoes — are largest for 4–7 and hold most of the group's weights.
 */
function classifierNet(): Model {
  const b = new GraphBuilder({ seed: 5 });
  const h = b.relu(b.batchNorm(b.conv(b.input("input", SHAPE), { outChannels: 8, kernel: 3, pad: 1, bias: false })));
  b.output(b.conv(h, { outChannels: 1, kernel: 1, bias: false }));
  const model = b.build();
  const [conv, bn, , head] = model.graph.nodes;
  const init = (n: string) => model.graph.initializers.get(n)!.data as Float32Array;
  const w = init(conv.inputs[1]);
  for (let c = 0; c < 8; c++) w.fill(0.5 + 0.1 * c, c * 27, (c + 1) * 27);
  init(bn.inputs[1]).fill(1);
  init(bn.inputs[2]).fill(0.5);
  init(bn.inputs[3]).fill(0);
  init(bn.inputs[4]).fill(1);
  init(head.inputs[1]).set([1, 1, 1, 1, 0.01, 0.01, 0.01, 0.01]);
  return model;
}

describe("magnitude importance", () => {
  it("layer-balanced keeps the channels the classifier reads; the plain sum follows the largest layer", async () => {
    const model = classifierNet();
    const dg = DependencyGraph.build(model);
    const group = dg.groups().find((g) => g.prunable)!;
    const plain = Array.from(l1Importance(group, dg));
    const balanced = Array.from(balancedL1Importance(group, dg));
    const lowest = (s: number[]) =>
      s
        .map((v, i) => [v, i])
        .sort((a, b) => a[0] - b[0])
        .slice(0, 4)
        .map(([, i]) => i)
        .sort();
    expect(lowest(plain)).toEqual([0, 1, 2, 3]);
    expect(lowest(balanced)).toEqual([4, 5, 6, 7]);

    const input = randomInput(SHAPE);
    const expected = await runModel(model, input, SHAPE);
    const byBalanced = await runModel(pruneChannels(model, 0.5, { importance: balancedL1Importance }).model, input, SHAPE);
    const byPlain = await runModel(pruneChannels(model, 0.5, { importance: l1Importance }).model, input, SHAPE);
    // Dropping the 0.01-weight channels moves the output by ~1 %; dropping the read ones by more than half.
    expect(maxRelDiff(expected, byBalanced)).toBeLessThan(0.05);
    expect(maxRelDiff(expected, byPlain)).toBeGreaterThan(0.3);
  });

  it("scores zero-weight channels zero either way, so both prune exactly those", () => {
    const model = classifierNet();
    const w = model.graph.initializers.get(model.graph.nodes[0].inputs[1])!.data as Float32Array;
    w.fill(0, 2 * 27, 3 * 27);
    const bn = model.graph.nodes[1];
    (model.graph.initializers.get(bn.inputs[1])!.data as Float32Array)[2] = 0;
    (model.graph.initializers.get(bn.inputs[2])!.data as Float32Array)[2] = 0;
    (model.graph.initializers.get(model.graph.nodes[3].inputs[1])!.data as Float32Array)[2] = 0;
    const dg = DependencyGraph.build(model);
    const group = dg.groups().find((g) => g.prunable)!;
    for (const importance of [l1Importance, balancedL1Importance]) {
      const s = importance(group, dg);
      expect(s[2]).toBe(0);
      expect(Math.min(...Array.from(s).filter((_, i) => i !== 2))).toBeGreaterThan(0);
    }
  });
});
