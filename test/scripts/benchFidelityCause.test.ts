import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TSX_IMPORT } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);
const BENCH = join(import.meta.dirname, "..", "..", "scripts", "bench", "fidelityCause.ts");

describe("bench:fidelity-cause", () => {
  it("refuses a level it cannot name before building anything, in one line", async () => {
    const error = await run(process.execPath, [...TSX_IMPORT, BENCH, "--levels", "heading:5,wheel:1"]).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr.trim()).toBe('bench:fidelity-cause: --levels: expected nn:level (heading:5), got "wheel:1"');
  }, 60_000);
});
