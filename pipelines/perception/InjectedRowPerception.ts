import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { OracleRowPerception } from "./OracleRowPerception.ts";
import type { RegressionError } from "./PerceptionConfig.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";
import { sampleRegressionError } from "./RegressionNoise.ts";

/**
 * Oracle (φ, d) plus explicit errors: φ + bias + noise (rad) and
 * d + bias + noise clamped to [0, 1]. The noise stream is forked from the run
 * seed, so a configuration and seed always give the same measurements.
 */
export class InjectedRowPerception implements RowPerceptionSource {
  readonly kind = "injected" as const;
  readonly camera = undefined;
  private readonly oracle = new OracleRowPerception();
  private rng: Random | undefined;

  constructor(
    readonly heading: RegressionError,
    readonly distance: RegressionError,
  ) {}

  attach(sim: Simulation, rng: Random): void {
    this.oracle.attach(sim, rng);
    this.rng = rng.fork("injected-row");
  }

  perceive(): RowMeasurement {
    const m = this.oracle.perceive();
    const rng = this.rng!;
    m.heading += sampleRegressionError(this.heading, rng);
    m.distanceRatio = Math.min(1, Math.max(0, m.distanceRatio + sampleRegressionError(this.distance, rng)));
    return m;
  }

  dispose(): void {
    this.oracle.dispose();
  }
}
