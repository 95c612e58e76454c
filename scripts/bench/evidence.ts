/**
 * bench:evidence — the paper's comparison on the zoo (`runEvidence`, the same as `npm run evidence`):
 * for each application its committed evidence config (evidence/cropfollow.json, evidence/gem.json;
 * `--apps` picks some), into `--out` (default out/bench-evidence; a rerun resumes from its calibration
 * checkpoints and QoS cache), printing the flat metrics and writing them with `--json <file>`:
 * `evidence.<app>.speedupVsAgnostic`, `.sizeReductionVsAgnostic`, `.utilizationReductionVsAgnostic`,
 * `.qosRuns.guided`, `.qosRuns.unguided`, `.guidedEqualsUnguided`, `.verification.passRate`, … (see
 * `evidenceMetrics`). Needs the zoo and its levels (`npm run train:zoo`, `npm run levels:zoo`).
 *
 * Latencies, hence the objective order and the choices, differ between fresh runs: `--repeats n` makes n
 * fresh runs (into `<out>/run-1` … `run-n`; a run whose evidence.json exists is read, not rerun, so a killed
 * series resumes) and `--from a.json,b.json` summarises finished runs' metrics files (e.g. the committed
 * evidence/evidence.json and others'). Over several runs every key is the median (booleans: 1 when most
 * runs gave true) with `<key>.min` and `<key>.max`, and `evidence.runs` says how many.
 *
 *   npm run bench:evidence -- [--json out.json] [--out dir] [--apps cropfollow,gem] [--repeats 1]
 *   npm run bench:evidence -- --from run1.json,run2.json[,…] [--json out.json]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runEvidence } from "../../index.ts";
import { flag, intFlag, jsonFile } from "./benchArgs.ts";
import { runSpread, spreadMetrics } from "../../common/index.ts";

const CONFIGS: Record<string, string> = { cropfollow: "evidence/cropfollow.json", gem: "evidence/gem.json" };
const appsFlag = flag("--apps");
const outFlag = flag("--out");
const repeats = intFlag("--repeats", 1);
const from = flag("--from");

function fail(message: string): never {
  console.error(`bench:evidence: ${message}`);
  process.exit(1);
}

const apps = (appsFlag ?? Object.keys(CONFIGS).join(",")).split(",");
for (const a of apps) if (!(a in CONFIGS)) fail(`--apps: unknown application "${a}" (evidence configs: ${Object.keys(CONFIGS).join(", ")})`);
if (from !== undefined && (appsFlag !== undefined || outFlag !== undefined || repeats !== 1))
  fail("--from summarises finished runs: it takes no --apps, --out or --repeats");
const out = resolve(outFlag ?? "out/bench-evidence");

/** A finished run's flat metrics, checked to be one (numbers and booleans by key). */
function readMetrics(file: string): Record<string, number | boolean> {
  if (!existsSync(file)) fail(`${file}: no such file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    fail(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) fail(`${file}: expected a flat metrics object`);
  for (const [key, v] of Object.entries(parsed))
    if (typeof v !== "number" && typeof v !== "boolean") fail(`${file}: ${key}: expected a number or boolean, got ${JSON.stringify(v)}`);
  return parsed as Record<string, number | boolean>;
}

async function evidenceRun(dir: string): Promise<Record<string, number | boolean>> {
  const report = await runEvidence(
    apps.map((application) => ({ application, config: CONFIGS[application] })),
    { out: dir, json: join(dir, "evidence.json"), onProgress: (line) => process.stderr.write(`${line}\n`) },
  );
  console.log(`${(report.seconds / 60).toFixed(1)} min; reports in ${dir} (summary.md, report.html)`);
  return report.metrics;
}

const format = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

try {
  if (from === undefined && repeats === 1) {
    const metrics = await evidenceRun(out);
    for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(52)} ${typeof v === "number" ? format(v) : v}`);
    if (jsonFile) writeFileSync(resolve(jsonFile), JSON.stringify(metrics, null, 2) + "\n");
  } else {
    const runs: Record<string, number | boolean>[] = [];
    if (from !== undefined) for (const file of from.split(",")) runs.push(readMetrics(resolve(file)));
    else
      for (let k = 1; k <= repeats; k++) {
        const dir = join(out, `run-${k}`);
        const done = join(dir, "evidence.json");
        const finished = existsSync(done);
        console.log(finished ? `run ${k} of ${repeats}: finished before, read from ${done}` : `run ${k} of ${repeats} into ${dir}`);
        runs.push(finished ? readMetrics(done) : await evidenceRun(dir));
      }
    const spread = runSpread(runs);
    console.log(`${"metric".padEnd(56)} ${"median".padStart(10)} ${"min–max".padStart(20)} runs`);
    for (const [k, s] of spread)
      console.log(`${k.padEnd(56)} ${format(s.median).padStart(10)} ${`${format(s.min)}–${format(s.max)}`.padStart(20)} ${s.runs}`);
    if (jsonFile) writeFileSync(resolve(jsonFile), JSON.stringify({ "evidence.runs": runs.length, ...spreadMetrics(spread) }, null, 2) + "\n");
  }
} catch (e) {
  fail((e as Error).message);
}
