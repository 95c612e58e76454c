import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";

const dir = mkdtempSync(join(tmpdir(), "cli-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI; resolves with its exit code and stderr (generous timeouts: tsx compiles the sources on a busy machine). */
function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_FROM_SOURCES, ...args], { timeout: 240_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
    });
  });
}

describe("CLI input errors", () => {
  it("exit 1 with one line naming the flag, before any output folder exists", async () => {
    const cases: [string[], RegExp][] = [
      [["sim", "--seconds", "abc"], /^approxcaliper: --seconds: expected a number in \[0, 1000000\], got "abc"$/],
      [["sim", "--robot", "tractor"], /^approxcaliper: --robot: expected one of terrasentia, gem, got "tractor"$/],
      [["train", join(dir, "none.onnx"), "--data", dir], /^approxcaliper: <model>: no such file, got ".*none\.onnx"$/],
      [["approx", join(dir, "none.onnx"), "--method", "prune", "--amount", "0.5"], /^approxcaliper: <model>: no such file/],
    ];
    const results = await Promise.all(
      cases.map(async ([args], i) => {
        const out = join(dir, `out-${i}`);
        return { ...(await cli([...args, "--out", out])), out };
      }),
    );
    results.forEach(({ code, stderr, out }, i) => {
      const lines = stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));
      expect(code, cases[i][0].join(" ")).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(cases[i][1]);
      expect(existsSync(out)).toBe(false);
    });
  }, 300_000);

  it("reports a missing required option on one line", async () => {
    const { code, stderr } = await cli(["approx", join(import.meta.dirname, "cliErrors.test.ts"), "--method", "prune", "--amount", "0.5"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("approxcaliper: required option '--out <file>' not specified");
  }, 300_000);
});
