import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TSX_IMPORT } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);
const BENCH = join(import.meta.dirname, "..", "..", "scripts", "bench", "fidelity.ts");

describe("bench:fidelity", () => {
  it("refuses a combination it cannot read before building anything, in one line", async () => {
    const error = await run(process.execPath, [...TSX_IMPORT, BENCH, "--combos", "diagonal,11-12"]).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr.trim()).toBe(
      'bench:fidelity: --combos: expected "diagonal" or levels per network (11:12), got "11-12"',
    );
  }, 60_000);
});
