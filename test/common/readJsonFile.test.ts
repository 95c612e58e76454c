import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, readJsonFile } from "../../index.ts";

describe("readJsonFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "read-json-"));

  it("parses a JSON file", () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, '{"a":[1,2]}');
    expect(readJsonFile(file)).toEqual({ a: [1, 2] });
  });

  it("names the file that is missing or not JSON", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ cut short");
    expect(() => readJsonFile(bad)).toThrow(InputError);
    expect(() => readJsonFile(bad)).toThrow(`${bad}: not valid JSON`);
    expect(() => readJsonFile(join(dir, "none.json"))).toThrow(`${join(dir, "none.json")}: cannot read it (ENOENT)`);
  });
});
