import type { z } from "zod";
import { InputError } from "./errors.ts";

/**
 * Validates `raw` against a zod schema and returns the parsed value, or throws
 * an {@link InputError} for the first problem, naming where it is:
 * - `style: "file"` (default): `where: field.path[2].name` — `where` is a file or document;
 * - `style: "object"`: `where.field.path[2].name` — `where` is itself a field path (e.g. `run`).
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, where: string, style: "file" | "object" = "file"): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let path = "";
  for (const p of issue.path) path += typeof p === "number" ? `[${p}]` : `${path || style === "object" ? "." : ""}${String(p)}`;
  throw new InputError(style === "object" ? `${where}${path}` : `${where}: ${path || "(root)"}`, issue.message);
}
