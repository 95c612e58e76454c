/**
 * `npm run bench:calibrate [-- --json <file>] [--no-real] [--real-seeds <k>]`: the boundary search
 * against a dense grid at the same precision, over synthetic monotone QoS oracles with known
 * boundaries (2-D quarter disk of radius 0.7, 3-D simplex Σu ≤ 1, unit coordinates). The grid
 * evaluates every point of spacing `precision` on every axis and classifies by dominance; the
 * search gets a budget of a quarter of the grid's evaluations and stops earlier once every unknown
 * box is under the precision. Both counts and both classified areas are exact and deterministic,
 * so one run is the median. Target: the search classifies ≥ 95 % of the area with ≤ 1/4 of the
 * grid's evaluations.
 * Then (unless `--no-real`) one real CropFollow calibration point — `cropfield-straight`, injected
 * heading/distance errors, `--real-seeds` K seeds (default 4) — is timed with 1 and 2 workers
 * through the pipelines' QosEvaluator (wall clock; cold = including the worker pool's start-up,
 * warm = median of 3 further points on fresh seeds on the running pool). Printed only, not in the
 * JSON.
 * JSON keys: `calibrate.2d.searchEvals`, `calibrate.2d.gridEvals`, `calibrate.2d.areaClassified`,
 * `calibrate.3d.searchEvals`, `calibrate.3d.gridEvals`, `calibrate.3d.areaClassified`.
 */
import { writeFileSync } from "node:fs";
import { Constraints, CropFollowQoS, searchBoundary, type InjectionParams, type QosOracle } from "../../index.ts";
import { quarterDisk, simplex, syntheticAxes, type Truth } from "../../test/fixtures/calibrationOracles.ts";
import { hasFlag, intFlag, jsonFile } from "./benchArgs.ts";

const realSeeds = intFlag("--real-seeds", 4);

interface CaseResult {
  searchEvals: number;
  searchArea: number;
  /** Evaluations after which the search had classified ≥ 95 % (checked every 1/64 of the budget). */
  searchEvalsTo95: number | undefined;
  gridEvals: number;
  gridArea: number;
}

async function runCase(truth: Truth, d: number, precision: number): Promise<CaseResult> {
  const axes = syntheticAxes(d);
  const steps = Math.round(1 / precision);
  if (Math.abs(steps * precision - 1) > 1e-9) throw new Error(`precision ${precision} must divide 1`);
  // Dense grid: every point of spacing `precision`, classified by dominance.
  const grid = new Constraints(axes);
  const index = new Array<number>(d).fill(0);
  let gridEvals = 0;
  for (;;) {
    const u = index.map((k) => k / steps);
    grid.add(u, truth(u));
    gridEvals++;
    let a = 0;
    while (a < d && ++index[a] > steps) index[a++] = 0;
    if (a === d) break;
  }
  const search = new Constraints(axes);
  const budget = Math.floor(gridEvals / 4);
  const every = Math.max(1, Math.floor(budget / 64));
  let to95: number | undefined;
  const report = await searchBoundary(search, async (p) => ({ pass: truth(search.unit(p)) }), {
    iters: budget,
    precision,
    onProgress: (p) => {
      if (to95 === undefined && p.done % every === 0 && search.classifiedFraction() >= 0.95) to95 = p.done;
    },
  });
  return {
    searchEvals: report.evaluations,
    searchArea: search.classifiedFraction(),
    searchEvalsTo95: to95,
    gridEvals,
    gridArea: grid.classifiedFraction(),
  };
}

/**
 * Wall-clock seconds of one real calibration point (one QoS evaluation over `seeds`) for each
 * worker count: `coldSeconds` includes starting the oracle's workers; `warmSeconds` is the median
 * of `repeats` further points on the running oracle, each on fresh seeds so nothing is cached.
 * `makeOracle(workers)` builds a fresh oracle per worker count.
 */
export async function timeQosPoint(
  makeOracle: (workers: number) => QosOracle & { close?(): Promise<void> },
  injection: InjectionParams,
  seeds: number[],
  workerCounts: readonly number[] = [1, 2],
  repeats = 3,
): Promise<{ workers: number; coldSeconds: number; warmSeconds: number; pass: boolean }[]> {
  const out: { workers: number; coldSeconds: number; warmSeconds: number; pass: boolean }[] = [];
  for (const workers of workerCounts) {
    const oracle = makeOracle(workers);
    try {
      const timed = async (shift: number) => {
        const t0 = performance.now();
        const r = await oracle.evaluate(injection, { seeds: seeds.map((s) => s + shift), workers });
        return { seconds: (performance.now() - t0) / 1000, pass: r.pass };
      };
      const cold = await timed(1000);
      const warm: number[] = [];
      let pass = true;
      for (let k = 0; k < repeats; k++) {
        const r = await timed(k === 0 ? 0 : 2000 + 100 * k);
        warm.push(r.seconds);
        if (k === 0) pass = r.pass;
      }
      warm.sort((x, y) => x - y);
      out.push({ workers, coldSeconds: cold.seconds, warmSeconds: warm[Math.floor(warm.length / 2)], pass });
    } finally {
      await oracle.close?.();
    }
  }
  return out;
}

const cases = [
  { key: "2d", name: "2-D quarter disk r=0.7", truth: quarterDisk(0.7), d: 2, precision: 0.02 },
  { key: "3d", name: "3-D simplex Σu≤1", truth: simplex(1), d: 3, precision: 0.025 },
];
const json: Record<string, number> = {};
console.log("case                     precision  search evals  search area  evals→95%  grid evals  grid area  search/grid");
for (const c of cases) {
  const r = await runCase(c.truth, c.d, c.precision);
  console.log(
    `${c.name.padEnd(24)} ${c.precision.toFixed(3).padStart(9)} ${String(r.searchEvals).padStart(13)} ${(100 * r.searchArea).toFixed(2).padStart(11)}% ` +
      `${String(r.searchEvalsTo95 ?? "-").padStart(10)} ${String(r.gridEvals).padStart(11)} ${(100 * r.gridArea).toFixed(2).padStart(9)}% ` +
      `${(r.searchEvals / r.gridEvals).toFixed(3).padStart(12)}`,
  );
  json[`calibrate.${c.key}.searchEvals`] = r.searchEvals;
  json[`calibrate.${c.key}.gridEvals`] = r.gridEvals;
  json[`calibrate.${c.key}.areaClassified`] = r.searchArea;
}

if (!hasFlag("--no-real")) {
  const injection: InjectionParams = {
    heading: { kind: "gaussian", bias: [0], std: [0.05] },
    distance: { kind: "gaussian", bias: [0], std: [0.05] },
  };
  const seeds = Array.from({ length: realSeeds }, (_, k) => k + 1);
  try {
    const timings = await timeQosPoint((workers) => new CropFollowQoS({ world: "cropfield-straight", workers }), injection, seeds);
    for (const t of timings) {
      console.log(
        `real CropFollow point (cropfield-straight, heading/distance std 0.05, ${seeds.length} seeds), ${t.workers} worker(s): ` +
          `${t.warmSeconds.toFixed(2)} s warm (median of 3), ${t.coldSeconds.toFixed(2)} s cold (pool start-up), seeds ${seeds.join(",")} ${t.pass ? "pass" : "fail"}`,
      );
    }
  } catch (err) {
    console.log(`real CropFollow point: not measured (${(err as Error).message.split("\n")[0]})`);
  }
}

if (jsonFile) writeFileSync(jsonFile, JSON.stringify(json, null, 2) + "\n");
