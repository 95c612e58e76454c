// Piscina worker entry: worker threads do not inherit tsx's loader, so register it here, then load the TypeScript worker.
import { register } from "tsx/esm/api";

register();
const mod = await import("./qosWorker.ts");
export default mod.default;
