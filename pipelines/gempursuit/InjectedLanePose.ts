import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { RegressionError } from "../perception/PerceptionConfig.ts";
import { sampleRegressionError } from "../perception/RegressionNoise.ts";
import type { LanePose, LanePoseSource } from "./LanePoseSource.ts";
import { OracleLanePose } from "./OracleLanePose.ts";

/**
 * Oracle lane pose plus explicit errors on each output (cross-track in m,
 * heading in rad): `truth + bias + noise`, drawn from a stream forked from
 * the run seed, so a configuration and seed always give the same values.
 */
export class InjectedLanePose implements LanePoseSource {
  readonly kind = "injected" as const;
  readonly camera = undefined;
  private readonly oracle = new OracleLanePose();
  private rng: Random | undefined;

  constructor(
    readonly crossTrack: RegressionError,
    readonly headingError: RegressionError,
  ) {}

  attach(sim: Simulation, rng: Random): void {
    this.oracle.attach(sim, rng);
    this.rng = rng.fork("injected-lane-pose");
  }

  perceive(): LanePose {
    const pose = this.oracle.perceive();
    pose.crossTrack += sampleRegressionError(this.crossTrack, this.rng!);
    pose.headingError += sampleRegressionError(this.headingError, this.rng!);
    return pose;
  }

  dispose(): void {
    this.oracle.dispose();
  }
}
