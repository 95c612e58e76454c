import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { InjectedRegressionErrors } from "../perception/InjectedRegressionErrors.ts";
import type { RegressionErrorInput } from "../perception/PerceptionConfig.ts";
import type { LanePose, LanePoseSource } from "./LanePoseSource.ts";
import { OracleLanePose } from "./OracleLanePose.ts";

/** Oracle lane pose plus explicit errors ({@link InjectedRegressionErrors}) on each output: cross-track (m), heading (rad). */
export class InjectedLanePose implements LanePoseSource {
  readonly kind = "injected" as const;
  readonly camera = undefined;
  private readonly oracle = new OracleLanePose();
  private readonly errors: InjectedRegressionErrors;

  /** @throws InputError on a bad error term. */
  constructor(crossTrack: RegressionErrorInput, headingError: RegressionErrorInput) {
    this.errors = new InjectedRegressionErrors([crossTrack, headingError], "injected-lane-pose");
  }

  attach(sim: Simulation, rng: Random): void {
    this.oracle.attach(sim, rng);
    this.errors.attach(sim, rng);
  }

  perceive(): LanePose {
    const pose = this.oracle.perceive();
    pose.crossTrack = this.errors.apply(0, pose.crossTrack);
    pose.headingError = this.errors.apply(1, pose.headingError);
    return pose;
  }

  dispose(): void {
    this.oracle.dispose();
  }
}
