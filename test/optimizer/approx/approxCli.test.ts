import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCommand } from "../../fixtures/runCommand.ts";
import { costWarnings, register } from "../../../scripts/commands/approx.ts";
import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import { modelStats } from "../../../optimizer/onnx/modelStats.ts";
import { readModel, writeModel } from "../../../optimizer/onnx/serialize.ts";
import { randomInput, runModel } from "./helpers.ts";
import { INPUT_SHAPE, residualNet } from "./models.ts";

const dir = mkdtempSync(join(tmpdir(), "approx-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCommand(register, "approx", [...args, "--runs", "3"]);

describe("approxcaliper approx", () => {
  const modelPath = join(dir, "model.onnx");

  it("prunes a model file and prints FLOPs, params and latency before and after", async () => {
    await writeModel(residualNet(), modelPath);
    const out = join(dir, "pruned.onnx");
    const text = await cli(modelPath, "--method", "prune", "--amount", "0.5", "--out", out);
    expect(text).toMatch(/FLOPs\s+[\d.]+\s+[\d.]+\s+0\.\d+/);
    expect(text).toMatch(/params/);
    expect(text).toMatch(/latency .*speed-up/);
    const pruned = await readModel(out);
    expect(modelStats(pruned).totalFlops).toBeLessThan(0.4 * modelStats(residualNet()).totalFlops);
    expect(statSync(out).size).toBeLessThan(statSync(modelPath).size);
    expect((await runModel(pruned, randomInput(INPUT_SHAPE), INPUT_SHAPE)).length).toBe(5);
  });

  it("factorizes with --method lowrank", async () => {
    const out = join(dir, "lowrank.onnx");
    const text = await cli(modelPath, "--method", "lowrank", "--amount", "0.8", "--out", out);
    expect(text).toMatch(/factorized [1-9]\d* conv/);
    expect(modelStats(await readModel(out)).totalFlops).toBeLessThan(modelStats(residualNet()).totalFlops);
  });

  it("warns when the factorized model is larger than the original, and shows one progress line per SVD off a terminal", async () => {
    // One 3×3 conv 8→8: rank 11 of 24 saves 48 of 584 parameters, but the second conv's node,
    // attributes and names cost more bytes than that, so the file grows (2642 → 2657 bytes).
    const b = new GraphBuilder({ seed: 1 });
    b.output(b.conv(b.input("input", [1, 8, 8, 8]), { outChannels: 8, kernel: 3, pad: 1, name: "conv" }));
    const tiny = join(dir, "tiny.onnx");
    await writeModel(b.build(), tiny);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const err: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    try {
      const text = await cli(tiny, "--method", "lowrank", "--amount", "0.55", "--out", join(dir, "tiny-lowrank.onnx"));
      expect(text).toMatch(/factorized 1 conv\(s\): conv rank 11\/24/);
      const warnings = warn.mock.calls.map((c) => c.join(" "));
      expect(warnings).toContainEqual(
        expect.stringMatching(/^warning: the approximated model is larger than the original \(536 vs 584 parameters, \d+ vs \d+ bytes\)$/),
      );
    } finally {
      warn.mockRestore();
      stderr.mockRestore();
    }
    expect(err.join("")).toMatch(/^lowrank SVDs \[0\/1 convs\] ETA … \| conv conv\nlowrank SVDs \[1\/1 convs\] in [\d.]+ s \| done\n$/);
  });

  it("words the slower and larger warnings with both figures, and stays quiet when nothing got worse", () => {
    const before = { ms: 1, params: 1000, bytes: 4200 };
    expect(costWarnings(before, { ms: 1.25, params: 900, bytes: 3900 })).toEqual([
      "the approximated model is slower than the original (1.250 ms vs 1.000 ms, 0.80×)",
    ]);
    expect(costWarnings(before, { ms: 0.5, params: 1100, bytes: 4000 })).toEqual([
      "the approximated model is larger than the original (1100 vs 1000 parameters, 4000 vs 4200 bytes)",
    ]);
    expect(costWarnings(before, { ms: 0.9, params: 900, bytes: 4000 })).toEqual([]);
  });

  it("fine-tunes on a dataset folder", async () => {
    const ds = join(dir, "ds");
    mkdirSync(join(ds, "images"), { recursive: true });
    const items = [];
    for (let i = 0; i < 8; i++) {
      const px = Buffer.alloc(16 * 16 * 3, (i * 29) % 256);
      await sharp(px, { raw: { width: 16, height: 16, channels: 3 } })
        .png()
        .toFile(join(ds, "images", `${i}.png`));
      items.push({ file: `images/${i}.png`, label: [i / 8, 0, 0, 0, 1] });
    }
    writeFileSync(join(ds, "labels.json"), JSON.stringify({ inputs: { width: 16, height: 16, channels: 3 }, items }));
    const out = join(dir, "tuned.onnx");
    const text = await cli(modelPath, "--method", "prune", "--amount", "0.5", "--out", out, "--data", ds, "--epochs", "2", "--batch-size", "4");
    expect(text).toMatch(/fine-tuning 2 epoch\(s\) on 8 samples/);
    const plain = await readModel(join(dir, "pruned.onnx"));
    const tuned = await readModel(out);
    expect(modelStats(tuned).totalFlops).toBe(modelStats(plain).totalFlops);
    const w = (m: typeof plain) => m.graph.initializers.get(m.graph.nodes[0].inputs[1])!.data as Float32Array;
    expect(Array.from(w(tuned))).not.toEqual(Array.from(w(plain)));
  });

  it("still accepts the old spellings --dataset, --finetune-epochs and the loss name smoothl1", async () => {
    const out = join(dir, "old.onnx");
    const text = await cli(
      modelPath,
      "--method",
      "prune",
      "--amount",
      "0.5",
      "--out",
      out,
      "--dataset",
      join(dir, "ds"),
      "--finetune-epochs",
      "1",
      "--batch-size",
      "8",
      "--loss",
      "smoothl1",
    );
    expect(text).toMatch(/fine-tuning 1 epoch\(s\) on 8 samples/);
  });

  it("rejects an unknown method, an amount outside [0, 1), a missing file, fine-tuning without data", async () => {
    const out = join(dir, "x.onnx");
    await expect(cli(modelPath, "--method", "quantize", "--amount", "0.5", "--out", out)).rejects.toThrow(
      /--method: expected one of prune, lowrank, got "quantize"/,
    );
    await expect(cli(modelPath, "--method", "prune", "--amount", "1", "--out", out)).rejects.toThrow(
      /--amount: expected a fraction in \[0, 1\)/,
    );
    await expect(cli(modelPath, "--method", "prune", "--amount", "-0.1", "--out", out)).rejects.toThrow(/--amount/);
    await expect(cli(join(dir, "missing.onnx"), "--method", "prune", "--amount", "0.5", "--out", out)).rejects.toThrow(
      /<model>: no such file, got ".*missing\.onnx"/,
    );
    await expect(cli(modelPath, "--method", "prune", "--amount", "0.5", "--out", out, "--epochs", "1")).rejects.toThrow(
      /--epochs: needs --data/,
    );
    await expect(cli(modelPath, "--method", "prune", "--amount", "0.5", "--out", out, "--data", join(dir, "nodata"))).rejects.toThrow(
      /--data: no such folder, got/,
    );
    await expect(cli(modelPath, "--method", "prune", "--amount", "0.5", "--out", out, "--loss", "hinge")).rejects.toThrow(
      /--loss: unknown loss; expected one of l1, mse, smooth-l1, bce, ce, got "hinge"/,
    );
  });
});
