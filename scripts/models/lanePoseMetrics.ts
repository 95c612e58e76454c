import type { NnModel, TensorDataset } from "../../optimizer/index.ts";
import { predictAll } from "./modelMetrics.ts";

/** Validation metrics of a lane-pose model (see `lanePoseNet`) on a `lanepose` dataset: mean absolute error per output. */
export interface LanePoseMetrics {
  /** Mean |error| of the cross-track offset 8 m ahead (m). */
  crossTrackL1: number;
  /** Mean |error| of the heading error (deg). */
  headingL1Deg: number;
  /** Mean |error| over both outputs in their own units (m and rad): the `lanepose.l1Error` calibration axis. */
  l1Error: number;
}

/** Runs `model` over `ds` ([2] targets: crossTrack m, headingError rad) and measures {@link LanePoseMetrics}. */
export async function lanePoseMetrics(model: NnModel, ds: TensorDataset): Promise<LanePoseMetrics> {
  if (ds.targetSize !== 2) throw new Error(`expected a lanepose dataset with 2 label columns, got ${ds.targetSize}`);
  const p = await predictAll(model, ds);
  if (p.length !== ds.targets.length) throw new Error(`model gives ${p.length / ds.size} values per sample, expected 2`);
  let e = 0;
  let h = 0;
  for (let i = 0; i < ds.size; i++) {
    e += Math.abs(p[2 * i] - ds.targets[2 * i]);
    h += Math.abs(p[2 * i + 1] - ds.targets[2 * i + 1]);
  }
  e /= ds.size;
  h /= ds.size;
  return { crossTrackL1: e, headingL1Deg: (h * 180) / Math.PI, l1Error: (e + h) / 2 };
}
