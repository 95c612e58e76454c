import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { CameraModel } from "../../sim/index.ts";
import type { CameraRequest } from "./PerceptionConfig.ts";

/** Which implementation a perception source is. */
export type PerceptionKind = "oracle" | "injected" | "onnx";

/** CropFollow perception output. */
export interface RowMeasurement {
  /** Heading φ relative to the row (rad). */
  heading: number;
  /** Distance ratio d = dL/(dL+dR) in [0, 1]; 0.5 when centred. */
  distanceRatio: number;
}

/**
 * A perception stage: one output per call, from the simulation's current
 * state. Lifecycle: construct → (the loop creates the simulation with
 * {@link camera}, if any) → {@link attach} once → {@link perceive} at the
 * perception rate → {@link dispose}.
 *
 * `perceive` may return a Promise (a network run); the loop then holds
 * simulated time still until it resolves, so results do not depend on the
 * machine's speed. Returned values may be reused buffers, valid until the
 * next call.
 */
export interface PerceptionSource<T> {
  readonly kind: PerceptionKind;
  /** Rendered frames this source needs (the simulation's camera), or undefined when it reads ground truth only. */
  readonly camera: CameraRequest | undefined;
  /** Binds the source to a simulation; `rng` is this run's perception stream (forked from the run seed). */
  attach(sim: Simulation, rng: Random): void;
  perceive(): T | Promise<T>;
  dispose(): void;
}

/** CropFollow perception: (φ, d). */
export type RowPerceptionSource = PerceptionSource<RowMeasurement>;

/** GEM perception: a binary lane mask (H×W, row-major, 1 = lane marking; the LaneNet output format). */
export interface LaneMaskSource extends PerceptionSource<Uint8Array> {
  /** The camera as seen at the mask's resolution (valid after the first {@link PerceptionSource.perceive}). */
  maskCamera(): CameraModel;
}
