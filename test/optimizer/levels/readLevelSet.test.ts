import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../common/index.ts";
import { readLevelSet } from "../../../optimizer/index.ts";

// A tuning config points at level sets by field; a broken one is reported by that field and the file.
describe("readLevelSet", () => {
  const root = mkdtempSync(join(tmpdir(), "ac-level-set-"));
  const where = "config.json: models.distance.resnet18.levels";

  it("finds the level directory of a zoo summary under levelsRoot", () => {
    const dir = join(root, "levels", "abc");
    mkdirSync(dir, { recursive: true });
    const set = { key: "abc", primary: "distanceL1", levels: [{ level: 0, file: "level-00.onnx" }] };
    writeFileSync(join(dir, "levels.json"), JSON.stringify(set));
    writeFileSync(join(dir, "level-00.onnx"), "");
    const summary = join(root, "summary.levels.json");
    writeFileSync(summary, JSON.stringify({ ...set, dir: "elsewhere" }));
    expect(readLevelSet(summary, where, join(root, "levels")).dir).toBe(dir);
    expect(() => readLevelSet(summary, where)).toThrow(/is not at .*elsewhere; build it/);
  });

  it("names the field and the file when the index is missing, not JSON or not a level set", () => {
    expect(() => readLevelSet(join(root, "none"), where)).toThrow(`${where}: no such file or directory`);
    const cut = join(root, "cut.json");
    writeFileSync(cut, '{"key": "abc", "levels": [');
    expect(() => readLevelSet(cut, where)).toThrow(InputError);
    expect(() => readLevelSet(cut, where)).toThrow(`${where}: ${cut}: not valid JSON`);
    const other = join(root, "other.json");
    writeFileSync(other, JSON.stringify({ key: "abc" }));
    expect(() => readLevelSet(other, where)).toThrow(`${where}: ${other} is not a level set`);
  });
});
