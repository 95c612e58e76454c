import { describe, expect, it } from "vitest";
import { cropFollowApplication } from "../../pipelines/cropfollow/cropFollowApplication.ts";
import { gemApplication } from "../../pipelines/gem/gemApplication.ts";
import { gemPursuitApplication } from "../../pipelines/gempursuit/gemPursuitApplication.ts";
import { checkFrameModel } from "../../pipelines/perception/checkFrameModel.ts";
import { OnnxFrameModel } from "../../pipelines/perception/OnnxFrameModel.ts";

const PRE = { mean: [0, 0, 0], std: [1, 1, 1] } as const;
const load = (name: string) => OnnxFrameModel.load(`models/${name}.onnx`, PRE);
const [heading, distance] = cropFollowApplication.networks;

describe("checkFrameModel: ONNX perception models against their application spec", () => {
  it("accepts each shipped network for its own spec entry, and CropFollow's one-model layout for both", async () => {
    for (const [name, networks, app] of [
      ["heading", [heading], "cropfollow"],
      ["distance", [distance], "cropfollow"],
      ["cropfollow", cropFollowApplication.networks, "cropfollow"],
      ["lanenet", gemApplication.networks, "gem"],
      ["lanepose", gemPursuitApplication.networks, "gem-pursuit"],
    ] as const) {
      const m = await load(name);
      expect(() => checkFrameModel(m, networks, app), name).not.toThrow();
      await m.dispose();
    }
  });

  it("refuses another application's network, naming the file, the spec's networks and both shapes", async () => {
    const lanenet = await load("lanenet");
    const lanepose = await load("lanepose");
    const head = await load("heading");
    try {
      expect(() => checkFrameModel(lanenet, cropFollowApplication.networks, "cropfollow")).toThrow(
        /^models\/lanenet\.onnx: cropfollow network "heading" \+ "distance": expected output \[N, 2\] or \[N, 1\] \+ \[N, 1\] \(one output per network\), got "\w+" \[N, 1, \d+, \d+\]; is it the right network\?$/,
      );
      expect(() => checkFrameModel(head, gemApplication.networks, "gem")).toThrow(
        /^models\/heading\.onnx: gem network "lanenet": expected output \[N, 1\|2, h, w\] \(a lane mask\), got "\w+" \[N, 1\]; is it the right network\?$/,
      );
      expect(() => checkFrameModel(head, gemPursuitApplication.networks, "gem-pursuit")).toThrow(
        /gem-pursuit network "lanepose": expected output \[N, 2\], got "\w+" \[N, 1\]/,
      );
      expect(() => checkFrameModel(lanepose, [heading], "cropfollow")).toThrow(
        /cropfollow network "heading": expected output \[N, 1\], got "\w+" \[N, 2\]/,
      );
    } finally {
      await Promise.all([lanenet.dispose(), lanepose.dispose(), head.dispose()]);
    }
  });

  it("reads the shapes from the spec: a spec that says 2 values makes the 1-value heading net wrong", async () => {
    const head = await load("heading");
    const wider = { ...heading, output: { kind: "vector", size: 2 } } as const;
    expect(() => checkFrameModel(head, [wider], "variant")).toThrow(/variant network "heading": expected output \[N, 2\]/);
    await head.dispose();
  });
});
