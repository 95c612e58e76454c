import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../common/index.ts";
import { readConstraints, readTuningConfig } from "../../pipelines/index.ts";

// A tuning run starts from these two files; a broken one must be named before any work starts.
describe("tuning input files", () => {
  const dir = mkdtempSync(join(tmpdir(), "ac-tuning-files-"));
  const cut = join(dir, "cut.json");
  writeFileSync(cut, '{"models": {');

  it("a config that is missing or not JSON is refused naming the file", () => {
    expect(() => readTuningConfig(cut)).toThrow(InputError);
    expect(() => readTuningConfig(cut)).toThrow(`${cut}: not valid JSON`);
    expect(() => readTuningConfig(join(dir, "none.json"))).toThrow(`${join(dir, "none.json")}: cannot read it (ENOENT)`);
  });

  it("constraints that are missing, not JSON or malformed are refused naming the file", () => {
    expect(() => readConstraints(cut)).toThrow(`${cut}: not valid JSON`);
    expect(() => readConstraints(join(dir, "none.json"))).toThrow(`${join(dir, "none.json")}: cannot read it (ENOENT)`);
    const wrong = join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ version: 1, axes: "none" }));
    expect(() => readConstraints(wrong)).toThrow(InputError);
    expect(() => readConstraints(wrong)).toThrow(wrong);
  });
});
