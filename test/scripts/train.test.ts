import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCommand } from "../fixtures/runCommand.ts";
import { register } from "../../scripts/commands/train.ts";
import { GraphBuilder, readModel, writeModel } from "../../optimizer/index.ts";

const dir = mkdtempSync(join(tmpdir(), "train-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCommand(register, "train", [...args]);

describe("approxcaliper train", () => {
  it("trains a model file on a labels.json dataset and writes the trained model", async () => {
    // Label = mean brightness of a uniform grey image.
    mkdirSync(join(dir, "ds", "images"), { recursive: true });
    const items = [];
    for (let i = 0; i < 24; i++) {
      const v = (i * 37) % 256;
      await sharp(Buffer.alloc(8 * 8 * 3, v), { raw: { width: 8, height: 8, channels: 3 } })
        .png()
        .toFile(join(dir, "ds", "images", `${i}.png`));
      items.push({ file: `images/${i}.png`, label: [v / 255] });
    }
    writeFileSync(join(dir, "ds", "labels.json"), JSON.stringify({ inputs: { width: 8, height: 8 }, items }));
    const b = new GraphBuilder({ seed: 1 });
    const x = b.relu(b.conv(b.input("input", ["N", 3, 8, 8]), { outChannels: 4, kernel: 3, pad: 1, name: "conv" }));
    b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 1, name: "fc" }));
    const model = b.build();
    const modelPath = join(dir, "model.onnx");
    await writeModel(model, modelPath);

    const out = join(dir, "trained.onnx");
    const err: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    const text = await cli(
      modelPath,
      "--data",
      join(dir, "ds"),
      "--out",
      out,
      "--epochs",
      "3",
      "--batch-size",
      "8",
      "--lr",
      "0.01",
      "--freeze",
      "conv.bias",
    );
    stderr.mockRestore();
    expect(text).toMatch(/epoch 3\/3 {2}train l1 [\d.]+ {2}val [\d.]+/);
    // Off a terminal: the first step's line, then at most one per 10 s, and the last.
    expect(err.join("")).toMatch(
      /^train \[1\/(\d+) steps\] ETA … \| epoch 1\/3, loss [\d.e-]+\n(.*\n)*train \[\1\/\1 steps\] in [\d.]+ s \| epoch 3\/3, loss [\d.e-]+\n$/,
    );
    const trained = await readModel(out);
    expect(trained.graph.initializers.get("fc.weight")!.data).not.toEqual(model.graph.initializers.get("fc.weight")!.data);
    expect(trained.graph.initializers.get("conv.bias")!.data).toEqual(model.graph.initializers.get("conv.bias")!.data);

    await expect(cli(modelPath, "--data", join(dir, "ds"), "--out", out, "--loss", "hinge")).rejects.toThrow(/--loss/);
  });
});
