import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/** Exact (φ, d) from the crop field's ground truth (`world.rowFrame`) at the robot's true pose. */
export class OracleRowPerception implements RowPerceptionSource {
  readonly kind: "oracle" | "injected" = "oracle";
  readonly camera = undefined;
  private sim: Simulation | undefined;
  private readonly out: RowMeasurement = { heading: 0, distanceRatio: 0.5 };

  attach(sim: Simulation, _rng: Random): void {
    check(sim.world.rowFrame, "perception", () => `row perception needs a crop-field world, got a ${sim.world.kind} world`);
    this.sim = sim;
  }

  perceive(): RowMeasurement {
    const sim = this.sim!;
    const f = sim.world.rowFrame!(sim.pose());
    this.out.heading = f.heading;
    this.out.distanceRatio = f.distanceRatio;
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
  }
}
