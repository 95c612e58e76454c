// `npm run build` (and `prepare`, so `npm ci` builds): compile the library and the CLI to dist/ with
// declarations, then copy the areas' non-TypeScript runtime files (world presets, worker entry shims)
// beside the compiled modules, since code finds them relative to its own file.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT = join(ROOT, "dist");
const AREAS = ["common", "worlds", "sim", "pipelines", "optimizer"];

// A clean build: a file deleted from the sources must not live on in dist/.
rmSync(OUT, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const area of AREAS) {
  for (const entry of readdirSync(join(ROOT, area), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith(".ts")) continue;
    const from = join(entry.parentPath, entry.name);
    cpSync(from, join(OUT, relative(ROOT, from)));
  }
}
