import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { TSX_IMPORT } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);
const BENCH = join(import.meta.dirname, "..", "..", "scripts", "bench", "evidence.ts");

describe("bench:evidence --from", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-evidence-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(value));
    return join(dir, name);
  };

  it("summarises finished runs' metrics files into medians with their range", async () => {
    const a = write("a.json", { "evidence.gem.sizeReductionVsAgnostic": 17, "evidence.gem.guidedEqualsUnguided": false });
    const b = write("b.json", { "evidence.gem.sizeReductionVsAgnostic": 15, "evidence.gem.guidedEqualsUnguided": true });
    const c = write("c.json", { "evidence.gem.sizeReductionVsAgnostic": 16, "evidence.gem.guidedEqualsUnguided": true });
    const json = join(dir, "out.json");
    const { stdout } = await run(process.execPath, [...TSX_IMPORT, BENCH, "--from", [a, b, c].join(","), "--json", json]);
    expect(stdout).toMatch(/evidence\.gem\.sizeReductionVsAgnostic\s+16\s+15–17\s+3/);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual({
      "evidence.runs": 3,
      "evidence.gem.sizeReductionVsAgnostic": 16,
      "evidence.gem.sizeReductionVsAgnostic.min": 15,
      "evidence.gem.sizeReductionVsAgnostic.max": 17,
      "evidence.gem.guidedEqualsUnguided": 1,
      "evidence.gem.guidedEqualsUnguided.min": 0,
      "evidence.gem.guidedEqualsUnguided.max": 1,
    });
  }, 60_000);

  it("names the file and key at fault, in one line", async () => {
    const bad = write("bad.json", { "evidence.gem.seconds": "slow" });
    const error = await run(process.execPath, [...TSX_IMPORT, BENCH, "--from", bad]).catch((e: { stderr: string; code: number }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr.trim()).toBe(
      `bench:evidence: ${bad}: evidence.gem.seconds: expected a number or boolean, got "slow"`,
    );
    const missing = join(dir, "none.json");
    const error2 = await run(process.execPath, [...TSX_IMPORT, BENCH, "--from", missing, "--repeats", "2"]).catch((e: { stderr: string }) => e);
    expect((error2 as { stderr: string }).stderr.trim()).toBe(
      "bench:evidence: --from summarises finished runs: it takes no --apps, --out or --repeats",
    );
  }, 60_000);
});
