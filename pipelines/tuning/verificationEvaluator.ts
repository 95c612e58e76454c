import { stableHash } from "../../common/index.ts";
import { combinationQos, type Combination, type QosOutcome } from "../../optimizer/index.ts";
import type { ApplicationQosOutcome } from "../qos/ApplicationQos.ts";
import type { TuningSetup } from "./setupTuning.ts";

/** A verification verdict over the tuning world and each further world, with how many runs it rests on. */
export interface VerificationDetail {
  /** Runs (seeds × worlds) and how many of them met the goal. */
  runs: number;
  passedRuns: number;
  worlds: { world: string; pass: boolean; uncertain?: boolean; runs: number; passedRuns: number }[];
}

/** The QoS oracles a verification runs on: the tuning world's, then each of the configuration's `verifyWorlds`. */
export function verificationOracles(setup: Pick<TuningSetup, "qos" | "verifyQos">): TuningSetup["qos"][] {
  return [setup.qos, ...setup.verifyQos];
}

/**
 * How a chosen combination (and each agnostic baseline) is verified: its
 * real models in the loop on the verification `seeds`, on the tuning world
 * and on every world of the configuration's `verifyWorlds` (worlds never used
 * in calibration or tuning). It passes when every world passes; it is
 * uncertain when none fails and one is uncertain.
 */
export function verificationEvaluator(setup: Pick<TuningSetup, "qos" | "verifyQos">, seeds: number[]): (c: Combination) => Promise<QosOutcome> {
  const oracles = verificationOracles(setup);
  const runners = oracles.map((q) => combinationQos(q));
  return async (combination) => {
    const outcomes: QosOutcome[] = [];
    for (const run of runners) outcomes.push(await run(combination, seeds));
    if (outcomes.length === 1) return outcomes[0];
    const worlds = outcomes.map((o, i) => {
      const detail = (o as ApplicationQosOutcome).detail;
      return {
        world: oracles[i].world,
        pass: o.pass,
        ...(o.uncertain ? { uncertain: true } : {}),
        runs: detail?.runs ?? seeds.length,
        passedRuns: detail?.passedSeeds ?? (o.pass ? seeds.length : 0),
      };
    });
    const fail = outcomes.some((o) => !o.pass && !o.uncertain);
    const uncertain = !fail && outcomes.some((o) => o.uncertain);
    const detail: VerificationDetail = {
      runs: worlds.reduce((s, w) => s + w.runs, 0),
      passedRuns: worlds.reduce((s, w) => s + w.passedRuns, 0),
      worlds,
    };
    return { pass: !fail && !uncertain, ...(uncertain ? { uncertain: true } : {}), hash: stableHash(outcomes.map((o) => o.hash)), detail };
  };
}
