import { describe, expect, it } from "vitest";
import { DependencyGraph } from "../../../optimizer/approx/dependency/DependencyGraph.ts";
import type { PruningRule } from "../../../optimizer/approx/dependency/PruningRule.ts";
import { pruneChannels } from "../../../optimizer/approx/pruneChannels.ts";
import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import { inferShapes } from "../../../optimizer/onnx/inferShapes.ts";
import { int64Tensor } from "../../../optimizer/onnx/tensor.ts";
import { randomInput, runModel } from "./helpers.ts";
import { concatSplitNet, depthwiseNet, INPUT_SHAPE, reshapeHeadNet, residualNet } from "./models.ts";

const outMembers = (dg: DependencyGraph, value: string) => {
  const g = dg.groups().find((g) => g.slots.some((s) => s.space.value === value))!;
  return { group: g, producers: g.members.filter((m) => m.side === "out" && m.node.node.opType === "Conv").map((m) => m.node.node.name) };
};

describe("DependencyGraph", () => {
  it("couples the filters of every conv feeding a residual Add into one group", () => {
    const model = residualNet();
    const dg = DependencyGraph.build(model);
    const adds = model.graph.nodes.filter((n) => n.opType === "Add");
    const first = outMembers(dg, adds[0].outputs[0]);
    // The stem conv and the block's second conv write the same residual channels.
    expect(first.producers).toHaveLength(2);
    expect(first.group.prunable).toBe(true);
    const second = outMembers(dg, adds[1].outputs[0]);
    expect(second.producers).toHaveLength(2);
    expect(second.group).not.toBe(first.group);
  });

  it("keeps Concat inputs in separate groups at their offsets, and Split parts apart", () => {
    const model = concatSplitNet();
    const dg = DependencyGraph.build(model);
    const cat = model.graph.nodes.filter((n) => n.opType === "Concat")[1];
    const groups = cat.inputs.map((v) => outMembers(dg, v).group);
    expect(new Set(groups).size).toBe(3);
    groups.forEach((g, k) => {
      const slot = g.slots.find((s) => s.space.value === cat.outputs[0])!;
      expect(Array.from(slot.indices)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i + 6 * k));
    });
    // The first Concat's second input (8 ch) straddles the 5/7 Split: its channel 0 goes with part one.
    const first = model.graph.nodes.find((n) => n.opType === "Concat")!;
    const sizes = dg
      .groups()
      .filter((g) => g.slots.some((s) => s.space.value === first.inputs[1]))
      .map((g) => g.size);
    expect(sizes).toEqual([1, 7]);
  });

  it("couples a depthwise conv's input channel with its m output channels", () => {
    const model = depthwiseNet();
    const dg = DependencyGraph.build(model);
    const dw = model.graph.nodes.find((n) => n.opType === "Conv" && n.attributes.group === 8)!;
    const g = outMembers(dg, dw.inputs[0]).group;
    const slot = g.slots.find((s) => s.space.value === dw.outputs[0])!;
    expect(g.size).toBe(8);
    expect(Array.from(slot.indices.subarray(slot.starts[3], slot.starts[4]))).toEqual([6, 7]);
  });

  it("maps each channel to H×W consecutive features after Flatten and Reshape", () => {
    const model = reshapeHeadNet();
    const dg = DependencyGraph.build(model);
    const flat = model.graph.nodes.find((n) => n.opType === "Flatten")!;
    const reshape = model.graph.nodes.find((n) => n.opType === "Reshape")!;
    const g = outMembers(dg, flat.inputs[0]).group;
    for (const v of [flat.outputs[0], reshape.outputs[0]]) {
      const slot = g.slots.find((s) => s.space.value === v)!;
      expect(Array.from(slot.indices.subarray(slot.starts[2], slot.starts[3]))).toEqual(Array.from({ length: 16 }, (_, i) => 32 + i));
    }
    expect(
      g.members
        .filter((m) => m.side === "in")
        .map((m) => m.node.node.opType)
        .sort(),
    ).toEqual(expect.arrayContaining(["Gemm", "MatMul"]));
  });

  it("never prunes graph inputs' or outputs' channels", () => {
    const model = depthwiseNet();
    const dg = DependencyGraph.build(model);
    for (const v of [...model.graph.inputs, ...model.graph.outputs]) {
      const g = dg.groups().find((g) => g.slots.some((s) => s.space.value === v.name))!;
      expect(g.prunable).toBe(false);
      expect(() => dg.prune(new Map([[g, [0]]]))).toThrow(/cannot prune group/);
    }
  });

  it("rejects removing every channel of a group or an out-of-range channel", () => {
    const dg = DependencyGraph.build(residualNet());
    const g = dg.groups().find((g) => g.prunable)!;
    expect(() => dg.prune(new Map([[g, Array.from({ length: g.size }, (_, i) => i)]]))).toThrow(/every channel/);
    expect(() => dg.prune(new Map([[g, [g.size]]]))).toThrow(/out of range/);
  });

  it("leaves the neighbours of an op without a rule untouched, with a warning naming the node", async () => {
    const b = new GraphBuilder({ seed: 5 });
    const x = b.relu(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 8, kernel: 3, pad: 1 }));
    const [lrn] = b.node("Identity", [x], {}, { name: "my_lrn" });
    const y = b.relu(b.conv(lrn, { outChannels: 8, kernel: 3, pad: 1 }));
    b.output(b.conv(y, { outChannels: 2, kernel: 1 }));
    const model = b.build();
    // Local response normalization mixes neighbouring channels; there is no rule for it.
    Object.assign(
      model.graph.nodes.find((n) => n.name === "my_lrn")!,
      { opType: "LRN", attributes: { size: 3 } },
    );
    const dg = DependencyGraph.build(model);
    expect(dg.warnings.join("\n")).toMatch(/node "my_lrn" \(LRN\) has no pruning rule/);
    const r = pruneChannels(model, 0.5);
    const convs = r.model.graph.nodes.filter((n) => n.opType === "Conv").map((n) => r.model.graph.initializers.get(n.inputs[1])!.dims);
    expect(convs).toEqual([
      [8, 3, 3, 3],
      [4, 8, 3, 3],
      [2, 4, 1, 1],
    ]);
    const out = await runModel(r.model, randomInput(INPUT_SHAPE), INPUT_SHAPE);
    expect(out.length).toBe(2 * 16 * 16);
  });

  it("freezes grouped (non-depthwise) convs and channel-reading Shape ops", () => {
    const b = new GraphBuilder({ seed: 6 });
    const x = b.relu(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 8, kernel: 3, pad: 1, name: "c0" }));
    const g = b.relu(b.conv(x, { outChannels: 8, kernel: 3, pad: 1, groups: 2, name: "grouped" }));
    const [shape] = b.node("Shape", [g], {}, { name: "shape_of_g" });
    const idx = b.initializer(int64Tensor("idx", [], [1]));
    const [c] = b.node("Gather", [shape, idx], { axis: 0 });
    b.output(b.conv(g, { outChannels: 2, kernel: 1 }));
    b.output(c);
    const dg = DependencyGraph.build(b.build());
    const text = dg.warnings.join("\n");
    expect(text).toMatch(/node "grouped" \(Conv\): grouped conv/);
    expect(text).toMatch(/node "shape_of_g" \(Shape\): its shape is read/);
    expect(dg.groups().filter((gr) => gr.prunable)).toHaveLength(0);
  });

  it("lets user rules override the defaults for one graph only", () => {
    const model = residualNet();
    const freezeAll: PruningRule = {
      channels(ctx) {
        ctx.freeze(ctx.input(0), "user says no");
      },
    };
    const custom = DependencyGraph.build(model, { rules: { Relu: freezeAll } });
    expect(custom.warnings.join("\n")).toMatch(/user says no/);
    const touchesRelu = (dg: DependencyGraph) =>
      dg.groups().filter((g) => g.prunable && g.members.some((m) => m.node.node.opType === "Relu")).length;
    expect(touchesRelu(custom)).toBe(0);
    expect(custom.groups().filter((g) => g.prunable)).toHaveLength(1);
    expect(touchesRelu(DependencyGraph.build(model))).toBeGreaterThan(2);
  });

  it("keeps value_info shapes consistent with the pruned channels", () => {
    const model = concatSplitNet();
    for (const [name, info] of inferShapes(model)) if (!model.graph.initializers.has(name)) model.graph.valueInfo.set(name, info);
    const { model: pruned } = pruneChannels(model, 0.5);
    const inferred = inferShapes(pruned);
    for (const [name, info] of pruned.graph.valueInfo) expect(info.shape, name).toEqual(inferred.get(name)!.shape);
  });
  it("keeps at least minChannels channels per group, and no more than a group already has", async () => {
    const model = residualNet();
    const convOuts = (m: typeof model) =>
      m.graph.nodes.filter((n) => n.opType === "Conv").map((n) => m.graph.initializers.get(n.inputs[1])!.dims[0]);
    expect(convOuts(pruneChannels(model, 0.9).model)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const guarded = pruneChannels(model, 0.9, { minChannels: 4 }).model;
    expect(convOuts(guarded)).toEqual([4, 4, 4, 4, 4, 4, 4]);
    // A floor above a group's size keeps the group as it is, never grows it.
    expect(convOuts(pruneChannels(model, 0.9, { minChannels: 10 }).model)).toEqual([8, 8, 8, 10, 10, 10, 10]);
    const out = await runModel(guarded, randomInput(INPUT_SHAPE), INPUT_SHAPE);
    expect(out.length).toBe(5);
    expect(() => pruneChannels(model, 0.5, { minChannels: 0 })).toThrow(/minChannels: must be a positive integer, got 0/);
  });
  it("rounds kept counts to the nearest multiple of roundTo, leaving counts below it exact", async () => {
    const model = residualNet();
    const convOuts = (m: typeof model) =>
      m.graph.nodes.filter((n) => n.opType === "Conv").map((n) => m.graph.initializers.get(n.inputs[1])!.dims[0]);
    // 30 % pruned keeps ⌊8·0.7⌋ = 5 and ⌊12·0.7⌋ = 8 channels.
    expect(convOuts(pruneChannels(model, 0.3).model)).toEqual([5, 5, 5, 8, 8, 8, 8]);
    expect(convOuts(pruneChannels(model, 0.3, { roundTo: 4 }).model)).toEqual([4, 4, 4, 8, 8, 8, 8]);
    expect(convOuts(pruneChannels(model, 0.3, { roundTo: 3 }).model)).toEqual([6, 6, 6, 9, 9, 9, 9]);
    expect(convOuts(pruneChannels(model, 0.3, { roundTo: 6 }).model)).toEqual([5, 5, 5, 6, 6, 6, 6]);
    // minChannels wins over rounding, and no group grows.
    expect(convOuts(pruneChannels(model, 0.3, { roundTo: 4, minChannels: 9 }).model)).toEqual([8, 8, 8, 9, 9, 9, 9]);
    const out = await runModel(pruneChannels(model, 0.3, { roundTo: 3 }).model, randomInput(INPUT_SHAPE), INPUT_SHAPE);
    expect(out.length).toBe(5);
    expect(() => pruneChannels(model, 0.5, { roundTo: 0 })).toThrow(/roundTo: must be a positive integer, got 0/);
  });
});
