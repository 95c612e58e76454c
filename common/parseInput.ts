import type { z } from "zod";
import { closestName } from "./closestName.ts";
import { InputError } from "./errors.ts";

/**
 * Validates `raw` against a zod schema and returns the parsed value, or throws
 * an {@link InputError} for the first problem, naming where it is:
 * - `style: "file"` (default): `where: field.path[2].name` — `where` is a file or document;
 * - `style: "object"`: `where.field.path[2].name` — `where` is itself a field path (e.g. `run`).
 *
 * An unknown key is reported before anything else (a misspelt key otherwise
 * shows up as the right key missing), with the closest known key suggested.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, where: string, style: "file" | "object" = "file"): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  const issue = unknown ?? issues[0];
  let message = issue.message;
  if (unknown && unknown.code === "unrecognized_keys") {
    const known = knownKeys(schema, unknown.path, raw);
    message = unknown.keys
      .map((k) => {
        const near = closestName(k, known);
        return `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (known keys: ${known.join(", ")})` : ""}`;
      })
      .join("; ");
  }
  throw new InputError(fieldPath(where, issue.path, style), message);
}

/** `where` joined with a zod issue path in the given style. */
export function fieldPath(where: string, issuePath: readonly PropertyKey[], style: "file" | "object" = "file"): string {
  let path = "";
  for (const p of issuePath) path += typeof p === "number" ? `[${p}]` : `${path || style === "object" ? "." : ""}${String(p)}`;
  return style === "object" ? `${where}${path}` : `${where}: ${path || "(root)"}`;
}

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  options?: unknown[];
  valueType?: unknown;
  items?: unknown[];
  values?: unknown[];
}

/**
 * Keys the object schema at `path` inside `schema` accepts: of every alternative of a union, except those
 * whose literal fields (a `kind`) the input at that point contradicts, so that a key of another kind is
 * not suggested as the correction of itself.
 */
function knownKeys(schema: unknown, path: readonly PropertyKey[], raw: unknown): string[] {
  const out = new Set<string>();
  const valueAt = (i: number): unknown => {
    let v = raw;
    for (let k = 0; k < i; k++) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[path[k]] : undefined;
    return v;
  };
  const visit = (s: unknown, i: number, depth: number): void => {
    const def = (s as { _zod?: { def?: Def } })?._zod?.def;
    if (!def || depth > 64) return;
    switch (def.type) {
      case "object":
        if (i === path.length) for (const k of Object.keys(def.shape ?? {})) out.add(k);
        else if (def.shape && typeof path[i] === "string" && path[i] in def.shape) visit(def.shape[path[i] as string], i + 1, depth + 1);
        return;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
      case "nonoptional":
        return visit(def.innerType, i, depth + 1);
      case "pipe":
        return visit(def.in, i, depth + 1);
      case "union": {
        const options = def.options ?? [];
        const matching = options.filter((o) => !contradicts(o, valueAt(i)));
        for (const o of matching.length > 0 ? matching : options) visit(o, i, depth + 1);
        return;
      }
      case "array":
        if (typeof path[i] === "number") visit(def.element, i + 1, depth + 1);
        return;
      case "tuple":
        if (typeof path[i] === "number") visit(def.items?.[path[i] as number], i + 1, depth + 1);
        return;
      case "record":
        if (i < path.length) visit(def.valueType, i + 1, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(schema, 0, 0);
  return [...out];
}

/** Whether `value` gives a field that object schema `s` fixes to other literal values (another union alternative). */
function contradicts(s: unknown, value: unknown): boolean {
  const def = (s as { _zod?: { def?: Def } })?._zod?.def;
  if (def?.type !== "object" || value === null || typeof value !== "object") return false;
  return Object.entries(def.shape ?? {}).some(([key, field]) => {
    const f = (field as { _zod?: { def?: Def } })?._zod?.def;
    return f?.type === "literal" && key in value && !(f.values ?? []).includes((value as Record<string, unknown>)[key]);
  });
}
