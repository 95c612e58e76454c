import { parseInput, type Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { RegressionErrorSchema, type RegressionError, type RegressionErrorInput } from "./PerceptionConfig.ts";
import { RegressionErrorProcess } from "./RegressionErrorProcess.ts";

/**
 * The injected errors of a regression perception's outputs over one run, one
 * {@link RegressionErrorProcess} per output, on a random stream of their own
 * forked from the run's perception stream (so a configuration and seed always
 * give the same values). Shared by every oracle-plus-error source.
 */
export class InjectedRegressionErrors {
  private sim: Simulation | undefined;
  private rng: Random | undefined;
  private processes: RegressionErrorProcess[] = [];
  /** Each output's error, validated, defaults filled. */
  readonly errors: readonly RegressionError[];

  /**
   * @param stream name of the forked random stream (kept per source so seeds reproduce earlier runs).
   * @throws InputError naming `stream`, the output and the field of a bad error term.
   */
  constructor(
    errors: readonly RegressionErrorInput[],
    private readonly stream: string,
  ) {
    this.errors = errors.map((e, k) => parseInput(RegressionErrorSchema, e, `${stream} output ${k}`, "object"));
  }

  /**
   * Starts a run: fresh processes, clocked by `sim`, drawing from `rng` forked by the stream name. An
   * output with `perRun` alternatives runs one of them, drawn on a stream of its own (so outputs without
   * them draw what they drew before alternatives existed).
   */
  attach(sim: Simulation, rng: Random): void {
    this.sim = sim;
    this.rng = rng.fork(this.stream);
    this.processes = this.errors.map((e, k) => {
      const options = e.perRun;
      if (!options) return new RegressionErrorProcess(e);
      return new RegressionErrorProcess(options[this.rng!.fork(`per-run-${k}`).int(0, options.length - 1)]);
    });
  }

  /** Output `k`'s measurement: `truth` plus its error at the current simulated time. */
  apply(k: number, truth: number): number {
    return truth + this.processes[k].sample(truth, this.sim!.time, this.rng!);
  }
}
