import { describe, expect, it } from "vitest";
import { InputError } from "../../common/index.ts";
import { buildWorld, parseWorldPreset, WORLD_LIMITS } from "../../worlds/index.ts";

function refusal(raw: unknown): InputError {
  try {
    parseWorldPreset(raw, "w.json");
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected the preset to be refused");
}

describe("world limits and consistency", () => {
  it("refuses a track of 200 full circles of 10 km radius (each segment within the schema) by its route length", () => {
    const segments = Array.from({ length: 200 }, () => ({ kind: "arc", radius: 10_000, angleDeg: 360 }));
    const e = refusal({ kind: "track", segments });
    expect(e.where).toBe("w.json: segments");
    expect(e.message).toMatch(/12,566,371 m long; at most 20,000 m/);
    expect(refusal({ kind: "track", segments: Array.from({ length: 501 }, () => ({ kind: "straight", length: 1 })) }).message).toMatch(
      /at most 500 segments/,
    );
  });

  it("refuses crop fields with more plants and weeds than the limit, naming the fix", () => {
    const e = refusal({ kind: "cropfield", rows: { count: 40, length: 1000 }, plants: { spacing: 0.08 } });
    expect(e.where).toBe("w.json: rows");
    expect(e.message).toContain(`at most ${WORLD_LIMITS.maxFieldObjects.toLocaleString("en-US")}`);
    expect(refusal({ kind: "cropfield", rows: { count: 6, length: 1000 }, weeds: { perMeter: 20 } }).where).toBe("w.json: rows");
  });

  it("refuses a start at or beyond the end of the path", () => {
    const field = refusal({ kind: "cropfield", rows: { length: 30 }, startOffset: 40 });
    expect(field.where).toBe("w.json: startOffset");
    expect(field.message).toMatch(/≤ 29 \(rows.length 30 m/);
    const track = refusal({ kind: "track", segments: [{ kind: "straight", length: 50 }], startOffset: 60 });
    expect(track.where).toBe("w.json: startOffset");
    expect(parseWorldPreset({ kind: "track", segments: [{ kind: "straight", length: 50 }], startOffset: 49 }).startOffset).toBe(49);
  });

  it("builds the longest accepted rows (1000 m, 30,000 plants) without overflowing the call stack", () => {
    const preset = parseWorldPreset({ kind: "cropfield", rows: { count: 6, length: 1000 } });
    const w = buildWorld(preset, 1);
    expect(w.obstacles.length).toBeGreaterThan(25_000);
  }, 60_000);
});
