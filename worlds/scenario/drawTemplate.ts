import { InputError, type Random } from "../../common/index.ts";

/**
 * A preset template: preset JSON in which any value may be a draw instead of
 * a literal. Three draws exist, each an object with exactly one key:
 *
 * - `{ "uniform": [lo, hi] }`: a real number uniform in [lo, hi];
 * - `{ "integer": [lo, hi] }`: an integer uniform in lo…hi (inclusive);
 * - `{ "oneOf": [a, b, …] }`: one of the values, equally likely; a value may
 *   itself hold draws, and `null` leaves the field out (e.g. a curve or none).
 *
 * @example { "kind": "cropfield", "rows": { "length": { "uniform": [20, 40] },
 *   "curve": { "oneOf": [null, { "radius": { "uniform": [25, 90] }, "turn": { "oneOf": ["left", "right"] } }] } } }
 */
export type PresetTemplate = unknown;

const DRAW_KEYS = ["uniform", "integer", "oneOf"] as const;
type DrawKey = (typeof DRAW_KEYS)[number];

/** The draw a template node stands for, or undefined for a literal. */
function drawOf(node: unknown): DrawKey | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && (DRAW_KEYS as readonly string[]).includes(keys[0]) ? (keys[0] as DrawKey) : undefined;
}

function checkBounds(value: unknown, where: string, integer: boolean): [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === "number" && Number.isFinite(v) && (!integer || Number.isInteger(v))) &&
    value[0] <= value[1];
  if (!ok) throw new InputError(where, `expected [lo, hi] with lo ≤ hi${integer ? ", both integers" : ""}, got ${JSON.stringify(value)}`);
  return value as [number, number];
}

/** True when the template holds at least one draw (a fixed preset is a distribution of one). */
export function templateHasDraws(node: unknown): boolean {
  if (drawOf(node)) return true;
  if (Array.isArray(node)) return node.some(templateHasDraws);
  if (node !== null && typeof node === "object") return Object.values(node).some(templateHasDraws);
  return false;
}

/**
 * How a template's draws are resolved: from a random stream, or pinned to
 * the low or high corner of every range (first or last `oneOf` value), which
 * lets a loader check the range bounds against the schema once.
 */
export type DrawMode = { rng: Random } | "low" | "high";

/**
 * Resolves every draw of `template` into a plain preset object. Keys are
 * visited in sorted order, so the values drawn for a seed do not depend on
 * the order the file lists its fields in.
 * @param where names the template (file) in errors; a bad draw names its field path.
 * @throws InputError for a malformed draw.
 */
export function drawTemplate(template: PresetTemplate, mode: DrawMode, where: string): unknown {
  const visit = (node: unknown, path: string): unknown => {
    const draw = drawOf(node);
    if (draw) {
      const at = `${where}: ${path}.${draw}`;
      const spec = (node as Record<string, unknown>)[draw];
      if (draw === "oneOf") {
        if (!Array.isArray(spec) || spec.length === 0) throw new InputError(at, "expected a non-empty array of values");
        const i = mode === "low" ? 0 : mode === "high" ? spec.length - 1 : mode.rng.int(0, spec.length - 1);
        return visit(spec[i], path);
      }
      const [lo, hi] = checkBounds(spec, at, draw === "integer");
      if (mode === "low") return lo;
      if (mode === "high") return hi;
      return draw === "integer" ? mode.rng.int(lo, hi) : mode.rng.uniform(lo, hi);
    }
    if (Array.isArray(node)) return node.map((v, i) => visit(v, `${path}[${i}]`)).filter((v) => v !== null);
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node).sort()) {
        const v = visit((node as Record<string, unknown>)[key], path === "" ? key : `${path}.${key}`);
        if (v !== null) out[key] = v;
      }
      return out;
    }
    return node;
  };
  return visit(template, "");
}
