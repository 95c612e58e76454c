import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, Random, stableHash } from "../../common/index.ts";
import { buildWorld, loadWorldPreset, loadWorldScenario, randomCropFieldPreset, type WorldPreset } from "../../worlds/index.ts";

const dir = mkdtempSync(join(tmpdir(), "scenario-"));
function file(name: string, json: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(json));
  return p;
}

const ranged = {
  kind: "cropfield",
  name: "ranged",
  rows: {
    count: 6,
    spacing: { uniform: [0.7, 0.82] },
    length: { uniform: [20, 30] },
    curve: { oneOf: [null, { radius: { uniform: [30, 80] }, turn: { oneOf: ["left", "right"] }, straightBefore: { uniform: [0, 5] } }] },
  },
  plants: { spacing: { uniform: [0.15, 0.25] }, gapMaxPlants: { integer: [2, 6] } },
};

describe("world scenarios", () => {
  it("draws different geometry per seed and the same world for the same seed", () => {
    const s = loadWorldScenario(file("ranged.json", ranged));
    expect(s.fixed).toBe(false);
    expect(s.kind).toBe("cropfield");
    const presets = [0, 1, 2, 3, 4, 5].map((seed) => s.draw(seed) as Extract<WorldPreset, { kind: "cropfield" }>);
    expect(new Set(presets.map((p) => p.rows.length)).size).toBe(6);
    expect(presets.some((p) => p.rows.curve) && presets.some((p) => !p.rows.curve)).toBe(true);
    for (const p of presets) {
      expect(p.rows.length).toBeGreaterThanOrEqual(20);
      expect(p.rows.length).toBeLessThanOrEqual(30);
      expect(Number.isInteger(p.plants.gapMaxPlants)).toBe(true);
    }
    const again = loadWorldScenario(file("ranged-again.json", ranged)).draw(3);
    expect(stableHash(again)).toBe(stableHash(presets[3]));
    const a = buildWorld(s.draw(3), 3);
    const b = buildWorld(s.draw(3), 3);
    expect(a.obstacles.map((o) => [o.x, o.y])).toEqual(b.obstacles.map((o) => [o.x, o.y]));
  });

  it("does not depend on the order a file lists its fields in", () => {
    const reordered = {
      plants: ranged.plants,
      rows: { curve: ranged.rows.curve, length: ranged.rows.length, spacing: ranged.rows.spacing, count: 6 },
      name: "ranged",
      kind: "cropfield",
    };
    const a = loadWorldScenario(file("a.json", ranged)).draw(11);
    const b = loadWorldScenario(file("b.json", reordered)).draw(11);
    expect(stableHash(b)).toBe(stableHash(a));
  });

  it("treats a fixed preset as a distribution of one", () => {
    const s = loadWorldScenario("cropfield-curved");
    expect(s.fixed).toBe(true);
    expect(s.draw(1)).toEqual(loadWorldPreset("cropfield-curved"));
    expect(s.draw(99)).toBe(s.draw(1));
  });

  it("draws track geometry per seed from the dataset generator's distribution, never a dataset world", () => {
    const s = loadWorldScenario("random-track");
    expect(s.kind).toBe("track");
    const tracks = [0, 1, 2, 3].map((seed) => s.draw(seed));
    expect(new Set(tracks.map((t) => stableHash(t.kind === "track" ? t.segments : null))).size).toBe(4);
    expect(stableHash(s.draw(2))).toBe(stableHash(tracks[2]));
    const field = loadWorldScenario("random-cropfield").draw(5);
    expect(stableHash(field)).not.toBe(stableHash(randomCropFieldPreset(new Random(5).fork("preset"))));
  });

  it("refuses a range outside the schema before any draw, naming the field and the corner", () => {
    const bad = { ...ranged, rows: { ...ranged.rows, spacing: { uniform: [0.7, 2.5] } } };
    expect(() => loadWorldScenario(file("bad.json", bad))).toThrow(InputError);
    expect(() => loadWorldScenario(file("bad.json", bad))).toThrow(/high end.*rows\.spacing.*\[0\.4, 2\]/);
  });

  it("refuses malformed draws, naming the field", () => {
    const inverted = { ...ranged, rows: { ...ranged.rows, length: { uniform: [30, 20] } } };
    expect(() => loadWorldScenario(file("inv.json", inverted))).toThrow(/rows\.length\.uniform: expected \[lo, hi\] with lo ≤ hi/);
    const fractional = { ...ranged, plants: { gapMaxPlants: { integer: [2, 5.5] } } };
    expect(() => loadWorldScenario(file("frac.json", fractional))).toThrow(/plants\.gapMaxPlants\.integer: .*both integers/);
    const empty = { ...ranged, rows: { ...ranged.rows, curve: { oneOf: [] } } };
    expect(() => loadWorldScenario(file("empty.json", empty))).toThrow(/rows\.curve\.oneOf: expected a non-empty array/);
  });

  it("keeps loadWorldPreset for single worlds and says what to use for a distribution", () => {
    expect(() => loadWorldPreset("random-cropfield")).toThrow(/distribution of worlds/);
    expect(() => loadWorldPreset(file("r.json", ranged))).toThrow(InputError);
  });
});
