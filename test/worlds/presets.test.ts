import { describe, expect, it } from "vitest";
import { InputError, stableHash } from "../../common/index.ts";
import { buildWorld, listWorldPresets, loadWorldPreset, parseWorldPreset } from "../../worlds/index.ts";

describe("world presets", () => {
  it("ships the three presets and builds each of them", () => {
    expect(listWorldPresets()).toEqual(expect.arrayContaining(["cropfield-straight", "cropfield-curved", "gem-track"]));
    for (const name of ["cropfield-straight", "cropfield-curved", "gem-track"]) {
      const w = buildWorld(loadWorldPreset(name), 7);
      expect(w.obstacles.length).toBeGreaterThan(100);
      w.obstacles.forEach((o, i) => expect(o.id).toBe(i));
      expect(w.scene.background).toBeTruthy();
      expect(w.scene.fog).toBeTruthy();
      if (w.kind === "track") {
        expect(w.laneMaskScene).toBeDefined();
        expect(w.laneFrame).toBeDefined();
        expect(new Set(w.obstacles.map((o) => o.kind))).toEqual(new Set(["cone"]));
      } else {
        expect(w.rowFrame).toBeDefined();
      }
    }
  });

  it("curved preset has gaps and weeds; straight preset has neither", () => {
    const straight = buildWorld(loadWorldPreset("cropfield-straight"), 1);
    const curved = buildWorld(loadWorldPreset("cropfield-curved"), 1);
    expect(straight.obstacles.some((o) => o.kind === "weed")).toBe(false);
    expect(curved.obstacles.filter((o) => o.kind === "weed").length).toBeGreaterThan(100);
    // Without gaps, consecutive plants in a row are ~0.2 m apart; gaps leave holes of ≥ 0.4 m.
    const gapsIn = (w: typeof straight) => {
      const plants = w.obstacles.filter((o) => o.kind === "plant");
      let gaps = 0;
      for (let i = 1; i < plants.length; i++) {
        const d = Math.hypot(plants[i].x - plants[i - 1].x, plants[i].y - plants[i - 1].y);
        if (d > 0.38 && d < 2) gaps++;
      }
      return gaps;
    };
    expect(gapsIn(straight)).toBe(0);
    expect(gapsIn(curved)).toBeGreaterThan(3);
  });

  it("same seed gives the same world; a different seed a different one", () => {
    const p = loadWorldPreset("cropfield-curved");
    const h = (seed: number) => stableHash(buildWorld(p, seed).obstacles);
    expect(h(5)).toBe(h(5));
    expect(h(5)).not.toBe(h(6));
    const t = loadWorldPreset("gem-track");
    const bg = (seed: number) => (buildWorld(t, seed).scene.background as { r: number }).r;
    expect(bg(1)).not.toBe(bg(2));
  });

  it("rejects a bad field with a message naming the field and the allowed range", () => {
    const bad = (raw: unknown) => {
      try {
        parseWorldPreset(raw, "my.json");
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error("accepted a bad preset");
    };
    expect(bad({ kind: "cropfield", rows: { spacing: 5 } })).toBe("my.json: rows.spacing: expected a number in [0.4, 2]");
    expect(bad({ kind: "cropfield", rows: { count: 2.5 } })).toMatch(/^my\.json: rows\.count: expected an integer in \[2, 40\]/);
    expect(bad({ kind: "cropfield", rows: {}, plants: { height: "tall" } })).toMatch(/plants\.height: expected a number in \[0\.2, 3\.5\]/);
    expect(bad({ kind: "cropfield", rows: {}, colour: 1 })).toMatch(/colour/);
    expect(bad({ kind: "forest" })).toMatch(/kind: expected kind "cropfield" or "track"/);
    expect(bad({ kind: "track", segments: [{ kind: "arc", radius: 6, angleDeg: 90 }] })).toMatch(/segments\[0\]\.radius: expected a number > /);
    expect(bad({ kind: "track", segments: [] })).toMatch(/segments: expected at least one segment/);
    expect(bad({ kind: "cropfield", rows: {}, environment: { sunElevationDeg: [50, 20] } })).toMatch(
      /environment\.sunElevationDeg: expected \[min, max\] with 5 ≤ min ≤ max ≤ 90/,
    );
  });

  it("names the shipped presets when a preset file is missing", () => {
    expect(() => loadWorldPreset("no-such-world")).toThrow(/no such world preset file; shipped presets: .*cropfield-straight/);
  });
});
