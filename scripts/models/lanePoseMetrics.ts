import { asModelRunner, ErrorMetric, l1Error, type NnModel, type TensorDataset } from "../../optimizer/index.ts";

/**
 * Validation metrics of a lane-pose model on a `lanepose` dataset, with the
 * optimizer's own metrics: mean absolute error of each output against its
 * label column (cross-track in m, heading in degrees) and over both (`l1Error`
 * in their own units, the `lanepose.l1Error` calibration axis).
 */
export async function lanePoseMetrics(
  model: NnModel,
  ds: TensorDataset,
): Promise<{ crossTrackL1: number; headingL1Deg: number; l1Error: number }> {
  const runner = asModelRunner("lanepose", model);
  const column = (output: number, label: string) => new ErrorMetric(runner, l1Error, { output, label }).evaluateOn(runner, ds);
  return {
    crossTrackL1: await column(0, "crossTrack"),
    headingL1Deg: ((await column(1, "headingError")) * 180) / Math.PI,
    l1Error: await new ErrorMetric(runner, l1Error).evaluateOn(runner, ds),
  };
}
