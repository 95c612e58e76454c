/** The model metrics the training scripts report, from the library (`optimizer/metrics/modelMetrics.ts`). */
export { laneMaskMetrics, regressionL1 } from "../../optimizer/index.ts";
