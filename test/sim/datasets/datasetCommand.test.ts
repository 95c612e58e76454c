import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it, vi } from "vitest";
import { InputError } from "../../../common/index.ts";
import { register } from "../../../scripts/commands/dataset.ts";

const tmp = mkdtempSync(join(tmpdir(), "ac-dataset-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<void> {
  const program = new Command("approxcaliper").exitOverride();
  register(program);
  await program.parseAsync(["node", "approxcaliper", "dataset", ...args]);
}

describe("approxcaliper dataset", () => {
  it("writes the splits and dataset.json with the requested size and counts", async () => {
    const out = join(tmp, "cf");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    await cli([
      "cropfollow",
      "--out",
      out,
      "--worlds",
      "3",
      "--per-world",
      "2",
      "--seed",
      "4",
      "--width",
      "24",
      "--height",
      "16",
      "--workers",
      "0",
    ]);
    log.mockRestore();
    stderr.mockRestore();
    // Off a terminal: plain progress lines (at most one per 10 s, and the last), not a redrawn bar.
    expect(err.join("")).toMatch(/^dataset cropfollow \[0\/3 worlds\] ETA …\n(.*\n)*dataset cropfollow \[3\/3 worlds\] in [\d.]+ s\n$/);
    const m = JSON.parse(readFileSync(join(out, "dataset.json"), "utf8"));
    expect(m).toMatchObject({ kind: "cropfollow", seed: 4, perWorld: 2, width: 24, height: 16, version: 2 });
    expect(m.splits.train.count + m.splits.val.count + m.splits.test.count).toBe(6);
  });

  it("gives validation and test the requested fractions of the worlds", async () => {
    const out = join(tmp, "many-val");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await cli([
        "cropfollow",
        "--out",
        out,
        "--worlds",
        "8",
        "--per-world",
        "1",
        "--width",
        "16",
        "--height",
        "12",
        "--workers",
        "0",
        "--val-fraction",
        "0.75",
        "--test-fraction",
        "0.125",
      ]);
    } finally {
      log.mockRestore();
      stderr.mockRestore();
    }
    const m = JSON.parse(readFileSync(join(out, "dataset.json"), "utf8"));
    expect([m.splits.train.worldSeeds.length, m.splits.val.worldSeeds.length, m.splits.test.worldSeeds.length]).toEqual([1, 6, 1]);
  });

  it("rejects an unknown kind and bad numbers, naming the option", async () => {
    await expect(cli(["lidar", "--out", tmp])).rejects.toThrow(InputError);
    await expect(cli(["gem", "--out", tmp, "--worlds", "2"])).rejects.toThrow(/--worlds/);
    await expect(cli(["gem", "--out", tmp, "--per-world", "x"])).rejects.toThrow(/--per-world/);
    await expect(cli(["gem", "--out", tmp, "--width", "7"])).rejects.toThrow(/--width/);
    await expect(cli(["gem", "--out", tmp, "--val-fraction", "1"])).rejects.toThrow(/--val-fraction/);
    // Fractions that leave no world for training are refused before anything is rendered.
    await expect(cli(["gem", "--out", join(tmp, "none"), "--worlds", "4", "--val-fraction", "0.5", "--test-fraction", "0.4"])).rejects.toThrow(
      /4 worlds leave none for training/,
    );
  });
});
