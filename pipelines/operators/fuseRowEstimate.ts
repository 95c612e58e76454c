import { Observable, type OperatorFunction } from "rxjs";
import type { RowEkf } from "../cropfollow/RowEkf.ts";
import type { RowMeasurement } from "../perception/PerceptionSource.ts";
import type { InertialSample } from "./readInertial.ts";
import type { Stamped } from "./Stamped.ts";

/** The fused CropFollow state: lateral offset y (m, > 0 left of centre) and heading ψ (rad) relative to the row. */
export interface RowEstimate {
  t: number;
  y: number;
  psi: number;
}

/**
 * Sensor fusion stage: inertial samples predict the {@link RowEkf}; perception
 * measurements (possibly late: stamped with their capture time) correct it at
 * the time they describe. Emits the estimate after every inertial sample, so
 * the estimate flows at the IMU rate between perception frames. The emitted
 * object is reused.
 */
export function fuseRowEstimate(ekf: RowEkf): OperatorFunction<InertialSample | Stamped<RowMeasurement>, RowEstimate> {
  return (upstream) =>
    new Observable<RowEstimate>((subscriber) => {
      const est: RowEstimate = { t: 0, y: 0, psi: 0 };
      return upstream.subscribe({
        next: (msg) => {
          if ("kind" in msg) {
            ekf.predict(msg.t, msg.v, msg.omega);
            est.t = ekf.time;
            est.y = ekf.y;
            est.psi = ekf.psi;
            subscriber.next(est);
          } else {
            ekf.update(msg.t, msg.value.heading, msg.value.distanceRatio);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
