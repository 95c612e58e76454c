// Piscina worker entry: worker threads do not inherit tsx's loader, so register it here, then load the TypeScript worker.
import { register } from "tsx/esm/api";

register();
const mod = await import("./datasetWorker.ts");
export default mod.default;
