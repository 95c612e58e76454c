import { describe, expect, it } from "vitest";
import { agnosticChoice } from "../../../optimizer/tune/agnosticChoice.ts";
import type { Candidate } from "../../../optimizer/tune/Candidate.ts";
import { InputError } from "../../../common/index.ts";

const axes = [
  { name: "h.l1Error", direction: "lower-better" as const, best: 0, worst: 1 },
  { name: "lane.recall", direction: "higher-better" as const, best: 1, worst: 0 },
];

/** One backbone's levels: (error, latency) per level, level 0 the unpruned model. */
function backbone(nn: string, name: string, axis: string, levels: [number, number][], sizeBytes = 1000): Candidate[] {
  return levels.map(([metric, latencyMs], level) => ({
    nn,
    backbone: name,
    approximator: level === 0 ? "original" : "prune",
    level,
    fraction: level / 10,
    metrics: { [axis]: metric },
    latencyMs,
    flops: 1,
    params: 1,
    sizeBytes,
  }));
}

describe("agnosticChoice (the paper's definition)", () => {
  // Reference darknet: error 0.10 at 5 ms. resnet reaches 0.095 at 2 ms (level 2); squeeze is faster but worse.
  const heading = [
    ...backbone("h", "resnet", "h.l1Error", [
      [0.08, 8],
      [0.09, 4],
      [0.095, 2],
      [0.2, 1],
    ]),
    ...backbone("h", "darknet", "h.l1Error", [
      [0.1, 5],
      [0.1, 3],
      [0.13, 1.5],
    ]),
    ...backbone("h", "squeeze", "h.l1Error", [
      [0.104, 1.2],
      [0.3, 0.5],
    ]),
  ];

  it("picks the fastest model across all backbones and levels no worse than the reference", () => {
    const [pick] = agnosticChoice([heading], axes, { reference: "darknet" });
    expect([pick.backbone, pick.level]).toEqual(["resnet", 2]);
  });

  it("widens the choice with a relative tolerance (a practitioner's 1 %, 5 %)", () => {
    expect(agnosticChoice([heading], axes, { reference: "darknet", tolerance: 0.01 })[0].backbone).toBe("resnet");
    const [pick] = agnosticChoice([heading], axes, { reference: "darknet", tolerance: 0.05 });
    expect([pick.backbone, pick.level]).toEqual(["squeeze", 0]);
  });

  it("depends on the reference: a more accurate reference admits fewer models", () => {
    const [pick] = agnosticChoice([heading], axes, { reference: "resnet" });
    expect([pick.backbone, pick.level]).toEqual(["resnet", 0]);
  });

  it("handles higher-better metrics and chooses per NN", () => {
    const lane = [
      ...backbone("lane", "vgg", "lane.recall", [
        [0.8, 10],
        [0.82, 6],
        [0.79, 3],
      ]),
      ...backbone("lane", "darknet", "lane.recall", [
        [0.78, 7],
        [0.8, 4],
      ]),
    ];
    const [h, l] = agnosticChoice([heading, lane], axes, { reference: "darknet" });
    expect([h.backbone, h.level]).toEqual(["resnet", 2]);
    expect([l.backbone, l.level]).toEqual(["vgg", 2]);
  });

  it("breaks latency ties by the better metric, then the smaller size, then list order", () => {
    const tie = [
      ...backbone("h", "a", "h.l1Error", [
        [0.1, 5],
        [0.1, 2],
      ]),
      ...backbone("h", "b", "h.l1Error", [[0.09, 2]], 2000),
      ...backbone("h", "c", "h.l1Error", [[0.09, 2]], 500),
      ...backbone("h", "d", "h.l1Error", [[0.09, 2]], 500),
    ];
    expect(agnosticChoice([tie], axes, { reference: "a" })[0].backbone).toBe("c");
  });

  it("without a reference takes the first candidate (the first backbone's original) as the bar", () => {
    expect(agnosticChoice([heading], axes)[0].backbone).toBe("resnet");
    expect(agnosticChoice([heading], axes)[0].level).toBe(0);
  });

  it("names agnostic.reference when the backbone does not exist", () => {
    expect(() => agnosticChoice([heading], axes, { reference: "vgg" })).toThrow(InputError);
    expect(() => agnosticChoice([heading], axes, { reference: "vgg" })).toThrow(/agnostic\.reference.*backbones: resnet, darknet, squeeze/);
    expect(() => agnosticChoice([heading], axes, { tolerance: -1 })).toThrow(/agnostic\.tolerance/);
  });
});
