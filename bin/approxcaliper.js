#!/usr/bin/env node
// The CLI runs the compiled build (dist/, made by `npm ci` through `prepare`, or `npm run build`).
import { existsSync } from "node:fs";

const cli = new URL("../dist/scripts/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("approxcaliper: the compiled build is missing (dist/scripts/cli.js); run `npm run build` in the package folder");
  process.exit(1);
}
await import(cli.href);
