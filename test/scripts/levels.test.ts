import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { models, writeModel } from "../../optimizer/index.ts";
import { register } from "../../scripts/commands/levels.ts";
import { generateDataset } from "../../sim/index.ts";
import { runCommand } from "../fixtures/runCommand.ts";

const dir = mkdtempSync(join(tmpdir(), "levels-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]) => runCommand(register, "levels", args);

beforeAll(async () => {
  await generateDataset({ kind: "cropfollow", out: join(dir, "ds"), worlds: 3, perWorld: 6, seed: 7, width: 48, height: 32, workers: 0 });
  await writeModel(
    models.resnet18Style({ height: 32, width: 48, widthMultiplier: 0.25, headChannels: 16, outputName: "heading", seed: 2 }),
    join(dir, "heading.onnx"),
  );
}, 120_000);

describe("approxcaliper levels", () => {
  it("writes every level into a content-hash directory and reuses it on a second call", async () => {
    const args = [
      join(dir, "heading.onnx"),
      "--dataset",
      join(dir, "ds"),
      "--label",
      "heading",
      "--steps",
      "2",
      "--fraction",
      "0.3",
      "--epochs",
      "1",
      "--batch-size",
      "4",
      "--out",
      join(dir, "levels"),
    ];
    const err: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    const first = await cli(...args).finally(() => stderr.mockRestore());
    expect(first).toMatch(/2 levels \(2 built now\)/);
    // Off a terminal: a progress line per update (each retraining epoch, each level saved).
    const progress = err.join("").split("\n");
    expect(progress[0]).toBe("levels [0/2 levels] ETA … | measuring the original");
    expect(progress).toContainEqual(expect.stringMatching(/^levels \[1\/2 levels\] ETA \S+ \| level 2: epoch 1\/1 done, train loss [\d.e-]+$/));
    expect(progress.at(-2)).toMatch(/^levels \[2\/2 levels\] in [\d.]+ s \| done$/);
    const [key] = readdirSync(join(dir, "levels"));
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(
      readdirSync(join(dir, "levels", key))
        .filter((f) => f.endsWith(".onnx"))
        .sort(),
    ).toEqual(["level-00.onnx", "level-01.onnx", "level-02.onnx"]);
    const second = await cli(...args);
    expect(second).toMatch(/2 levels \(0 built now\)/);
    expect(second.match(/\(reused\)/g)).toHaveLength(3);
  }, 120_000);

  it("names the flag at fault", async () => {
    await expect(cli(join(dir, "heading.onnx"), "--dataset", join(dir, "ds"))).rejects.toThrow(/--label/);
    await expect(cli(join(dir, "heading.onnx"), "--dataset", join(dir, "ds"), "--label", "heading", "--fraction", "1.5")).rejects.toThrow(
      /--fraction/,
    );
    await expect(cli(join(dir, "nope.onnx"), "--dataset", join(dir, "ds"))).rejects.toThrow(/<model>/);
    await expect(cli(join(dir, "heading.onnx"), "--dataset", join(dir, "ds"), "--label", "heading", "--importance", "l2")).rejects.toThrow(
      /--importance.*l1-balanced/,
    );
  });

  it("--importance l1-balanced keys its own directory and is recorded in the recipe", async () => {
    const out = join(dir, "levels-balanced");
    const base = [join(dir, "heading.onnx"), "--dataset", join(dir, "ds"), "--label", "heading", "--steps", "1", "--epochs", "0", "--out", out];
    await cli(...base);
    await cli(...base, "--importance", "l1-balanced");
    const keys = readdirSync(out);
    expect(keys).toHaveLength(2);
    const recipes = keys.map((k) => JSON.parse(readFileSync(join(out, k, "levels.json"), "utf8")).recipe.importance);
    expect(recipes.sort()).toEqual(["l1-balanced", undefined]);
  }, 60_000);

  it("--keep-best-epoch keys its own directory and is recorded in the recipe", async () => {
    const out = join(dir, "levels-best");
    const base = [join(dir, "heading.onnx"), "--dataset", join(dir, "ds"), "--label", "heading", "--steps", "1", "--epochs", "2"];
    await cli(...base, "--batch-size", "4", "--out", out);
    await cli(...base, "--batch-size", "4", "--out", out, "--keep-best-epoch");
    const keys = readdirSync(out);
    expect(keys).toHaveLength(2);
    const recipes = keys.map((k) => JSON.parse(readFileSync(join(out, k, "levels.json"), "utf8")).recipe.keepBestEpoch);
    expect(recipes.sort()).toEqual([true, undefined]);
  }, 60_000);
});
