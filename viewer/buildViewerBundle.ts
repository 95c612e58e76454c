import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

/**
 * Node built-ins reached through shared modules the page never calls (e.g.
 * `common/hash.ts`'s `node:crypto`): resolved to an empty module so the
 * bundle builds; a call would fail loudly in the browser.
 */
const stubNodeBuiltins: Plugin = {
  name: "stub-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

/** The page's entry: the TypeScript source, or its compiled form when the package runs from `dist/`. */
function entryPoint(): string {
  for (const ext of ["ts", "js"]) {
    const p = fileURLToPath(new URL(`./app/main.${ext}`, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error("viewer: app/main.ts (or main.js) not found beside buildViewerBundle");
}

let cached: Promise<string> | undefined;

/**
 * Bundles the viewer page (three.js, the `worlds/` generators and the page
 * code) into one minified browser script with esbuild. Built on demand
 * (about a second) and kept for the life of the process.
 */
export function buildViewerBundle(): Promise<string> {
  // esbuild is loaded on first use: commands that only link to a viewer start without it.
  cached ??= import("esbuild")
    .then(({ build }) =>
      build({
        entryPoints: [entryPoint()],
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2022",
        minify: true,
        write: false,
        legalComments: "none",
        logLevel: "silent",
        plugins: [stubNodeBuiltins],
      }),
    )
    .then((r) => r.outputFiles[0].text);
  return cached;
}
