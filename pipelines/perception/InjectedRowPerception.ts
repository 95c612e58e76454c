import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { InjectedRegressionErrors } from "./InjectedRegressionErrors.ts";
import { OracleRowPerception } from "./OracleRowPerception.ts";
import type { RegressionErrorInput } from "./PerceptionConfig.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/** Oracle (φ, d) plus explicit errors ({@link InjectedRegressionErrors}): φ + error (rad), d + error clamped to [0, 1]. */
export class InjectedRowPerception implements RowPerceptionSource {
  readonly kind = "injected" as const;
  readonly camera = undefined;
  private readonly oracle = new OracleRowPerception();
  private readonly errors: InjectedRegressionErrors;

  /** @throws InputError on a bad error term. */
  constructor(heading: RegressionErrorInput, distance: RegressionErrorInput) {
    this.errors = new InjectedRegressionErrors([heading, distance], "injected-row");
  }

  attach(sim: Simulation, rng: Random): void {
    this.oracle.attach(sim, rng);
    this.errors.attach(sim, rng);
  }

  perceive(): RowMeasurement {
    const m = this.oracle.perceive();
    m.heading = this.errors.apply(0, m.heading);
    m.distanceRatio = Math.min(1, Math.max(0, this.errors.apply(1, m.distanceRatio)));
    return m;
  }

  dispose(): void {
    this.oracle.dispose();
  }
}
