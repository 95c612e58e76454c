import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { register } from "../../scripts/commands/run.ts";
import { runCommand } from "../fixtures/runCommand.ts";

const dir = mkdtempSync(join(tmpdir(), "run-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `approxcaliper run` in-process; returns stdout and what went to stderr (the per-seed progress off a terminal). */
async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const err: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  try {
    return { stdout: await runCommand(register, "run", args), stderr: err.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe("approxcaliper run", () => {
  it("counts seeds from 0, reports each seed as it finishes and says why each run stopped", async () => {
    const out = join(dir, "ok");
    const { stdout, stderr } = await run(["--pipeline", "cropfollow", "--seeds", "2", "--max-time", "2", "--workers", "0", "--out", out]);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
      seeds: number[];
      perSeed: { seed: number; stopReason: string }[];
    };
    expect(summary.seeds).toEqual([0, 1]);
    expect(summary.perSeed.map((s) => s.stopReason)).toEqual(["timeout", "timeout"]);
    expect(stderr).toMatch(/^\[1\/2\] seed [01]: FAIL, time limit after 2\.0 s, 0 collision\(s\)$/m);
    expect(stderr).toMatch(/^\[2\/2\] seed [01]: /m);
    expect(stdout).toMatch(/seed +pass +collisions +stopped by/);
    expect(stdout).toMatch(/^ +0 +NO +0 +time limit/m);
  }, 120_000);

  it("takes --first-seed, and --seed as its deprecated spelling", async () => {
    const out = join(dir, "first");
    await run(["--pipeline", "cropfollow", "--seeds", "1", "--first-seed", "4", "--max-time", "1", "--workers", "0", "--out", out]);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seeds).toEqual([4]);
    const { stderr } = await run(["--pipeline", "cropfollow", "--seeds", "1", "--seed", "6", "--max-time", "1", "--workers", "0", "--out", out]);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seeds).toEqual([6]);
    expect(stderr).toMatch(/--seed is deprecated; use --first-seed/);
  }, 120_000);

  it("draws GEM oracle masks like a LaneNet's labels with --lane-mask rendered --mask-pool --mask-size", async () => {
    // Random-track world 4 has worn paint: at 5 FPS the label-like 64×32 masks lose the lane where exact ones do not.
    const common = ["--pipeline", "gem", "--world", "random-track", "--fps", "5", "--first-seed", "4", "--seeds", "1", "--workers", "0"];
    const exact = await run([...common, "--mask-size", "64x32", "--record", "none", "--out", join(dir, "exact")]);
    expect(exact.stdout).toMatch(/^PASS: 1\/1 seeds/m);
    const labels = await run([
      ...common,
      "--lane-mask",
      "rendered",
      "--mask-pool",
      "4",
      "--mask-size",
      "64x32",
      "--record",
      "none",
      "--out",
      join(dir, "labels"),
    ]);
    expect(labels.stdout).toMatch(/^FAIL: 0\/1 seeds/m);
  }, 120_000);

  it("checks every input before creating the output folder, naming the flag", async () => {
    const out = join(dir, "never");
    const cases: [string[], RegExp][] = [
      [["--pipeline", "tractor"], /^--pipeline: unknown application; expected one of cropfollow, gem/],
      [["--pipeline", "cropfollow", "--seeds", "0"], /^--seeds: expected an integer in \[1, 100000\], got "0"$/],
      [["--pipeline", "cropfollow", "--world", "gem-track"], /^--world: the cropfollow pipeline needs a cropfield world/],
      [["--pipeline", "cropfollow", "--world", "no-such-preset"], /^--world: /],
      [["--pipeline", "cropfollow", "--goal", '{"collisions":-1}'], /^--goal: goal\.collisions: expected a number ≥ 0/],
      [["--pipeline", "cropfollow", "--fps", "500"], /^--fps: expected a number in \[0\.5, 60\]/],
      [["--pipeline", "cropfollow", "--perception", "onnx", "--model", join(dir, "none.onnx")], /^--model: no such file/],
      [["--pipeline", "gem", "--perception", "injected", "--lane-error", '{"dropRate":2}'], /^--lane-error: dropRate: /],
      [["--pipeline", "gem", "--mask-size", "64"], /^--mask-size: expected WxH in pixels, e\.g\. 64x32, got "64"$/],
      [["--pipeline", "gem", "--mask-size", "8x4"], /^--mask-size: width: /],
      [["--pipeline", "gem", "--mask-pool", "4"], /^--mask-pool: needs --lane-mask rendered$/],
      [["--pipeline", "gem", "--mask-pool", "9", "--lane-mask", "rendered"], /^--mask-pool: expected an integer in \[1, 8\]/],
      [["--pipeline", "cropfollow", "--lane-mask", "rendered"], /^--lane-mask: cropfollow perception is not a lane mask$/],
    ];
    for (const [args, message] of cases) {
      await expect(run([...args, "--out", out]), args.join(" ")).rejects.toThrow(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
