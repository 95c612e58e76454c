// Piscina worker entry: worker threads do not inherit a module loader. In the compiled build (dist/) the
// compiled worker sits beside this file; from the TypeScript sources (vitest, tsx) register tsx, then load the .ts.
import { existsSync } from "node:fs";

const compiled = new URL("./qosWorker.js", import.meta.url);
let mod;
if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  mod = await import("./qosWorker.ts");
}
export default mod.default;
