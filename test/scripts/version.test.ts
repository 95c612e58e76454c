import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);

describe("approxcaliper --version", () => {
  it("prints the version in package.json", async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    const { stdout } = await run(process.execPath, [...CLI_FROM_SOURCES, "--version"]);
    expect(stdout.trim()).toBe(version);
  });
});
