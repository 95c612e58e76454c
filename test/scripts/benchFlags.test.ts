import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TSX_IMPORT } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);

/** What a bench script prints to stderr, and its exit code, when it refuses its flags. */
async function refusal(script: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const bench = join(import.meta.dirname, "..", "..", "scripts", "bench", script);
  const error = await run(process.execPath, [...TSX_IMPORT, bench, ...args]).catch((e: { stderr: string; code: number }) => e);
  return { code: (error as { code: number }).code, stderr: (error as { stderr: string }).stderr.trim() };
}

describe("bench flags are refused before anything is built, in one line", () => {
  it("bench:fidelity-cause refuses a level it cannot name, and a pair naming one network twice", async () => {
    expect(await refusal("fidelityCause.ts", "--levels", "heading:5,wheel:1")).toEqual({
      code: 1,
      stderr: 'bench:fidelity-cause: --levels: expected nn:level (heading:5) or one level per network (heading:12+distance:12), got "wheel:1"',
    });
    expect(await refusal("fidelityCause.ts", "--levels", "heading:12+distance:12,heading:3+heading:4")).toEqual({
      code: 1,
      stderr:
        'bench:fidelity-cause: --levels: expected nn:level (heading:5) or one level per network (heading:12+distance:12), got "heading:3+heading:4"',
    });
  }, 60_000);

  it("bench:fidelity-cause refuses a bad tuning config naming the file and field, without a stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-flags-"));
    try {
      const config = join(dir, "config.json");
      writeFileSync(config, JSON.stringify({ models: { heading: "heading.onnx" } }));
      expect(await refusal("fidelityCause.ts", "--config", config)).toEqual({
        code: 1,
        stderr: `bench:fidelity-cause: ${config}: dataset: Invalid input: expected object, received undefined`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("bench:fidelity refuses a combination it cannot read", async () => {
    expect(await refusal("fidelity.ts", "--combos", "diagonal,11-12")).toEqual({
      code: 1,
      stderr: 'bench:fidelity: --combos: expected "diagonal" or levels per network (11:12), got "11-12"',
    });
  }, 60_000);
});
