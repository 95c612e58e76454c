/**
 * bench:fidelity — calibration fidelity over the whole zoo (`calibrationFidelity`) against the evidence's
 * calibration (committed with the evidence report; a new `npm run evidence` rewrites it): for each
 * application, every level of every backbone of every network (the other networks at the first backbone's
 * original) judged three ways at its measured metric, with the evidence config's goal, on its
 * verification seeds (never used in calibration or tuning): what the evidence's calibration predicts
 * (`evidence/<app>/calibration/constraints.json`, the injected verdict where it is unsure), the closed loop
 * with injected errors from the calibration's error families (its `error-distribution.json`), and the closed loop
 * with the real network.
 * The evidence itself measures fidelity only on the combinations its searches ran; this measures it on
 * every candidate. With `--combos`, it judges combinations of levels instead (one backbone per network,
 * `--backbones`): `diagonal` is every network at the same level, `11:12` one combination by level per network
 * in the config's network order (CropFollow: heading, distance) — where two networks' errors meet in one
 * loop, as in the evidence's deep CropFollow choices. Resumes from its QoS cache (`--out`, default
 * out/bench-fidelity).
 *
 * Keys (`--json`): `fidelity.<app>.agreement`, `.injectedAgreement`, `.predictedPassRealFail`,
 * `.predictedFailRealPass`, `.uncertain` (predictions left uncertain), `.realUncertain` (real verdicts
 * undecided at the goal's cap), `.points`; for an application with knobs, one set per `--knobs` value,
 * keyed `fidelity.<app>.<knob>=<value>.*`; with `--combos`, keyed `fidelity.<app>.combos.*`. With `--predict-only`
 * it runs no closed loop: it prints what the calibration's constraints say of each point (valid, invalid,
 * uncertain) and writes `fidelity.<app>….classified.valid`, `.invalid`, `.uncertain` and `.points` instead, to
 * compare calibrations (another `--evidence` folder) against real verdicts already measured on the same points.
 * With `--injected-where-uncertain` it runs injected errors only where the constraints leave a point uncertain
 * (there they are the prediction): agreement and the confusion as usual, with the real verdicts from the QoS cache
 * where measured before, and `.injectedAgreement` over the points it ran (absent if none).
 *
 *   npm run bench:fidelity -- [--json out.json] [--apps cropfollow,gem] [--evidence evidence] [--out dir]
 *                             [--knobs 20,10 (the GEM's fps; default its original)]
 *                             [--backbones resnet18,darknet | heading=squeezenet,distance=resnet18 (per network)]
 *                             [--workers n (QoS threads; default the evidence config's, 1 beside another heavy job)]
 *                             [--combos diagonal,11:12,12:11 (levels per network; needs one backbone per network)]
 *                             [--predict-only | --injected-where-uncertain]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  approximatorsByNn,
  type Candidate,
  calibrationFidelity,
  describeVerdict,
  ErrorDistribution,
  readJsonFile,
  configSeeds,
  type Constraints,
  fidelityCombinations,
  type FidelityPick,
  measureCandidates,
  pointOf,
  readConstraints,
  readTuningConfig,
  setupTuning,
  type FidelityPoint,
  type FidelityReport,
} from "../../index.ts";
import { flag, hasFlag, intFlag, jsonFile } from "./benchArgs.ts";

const APPS = ["cropfollow", "gem"];
const apps = (flag("--apps") ?? APPS.join(",")).split(",");
const evidenceDir = resolve(flag("--evidence") ?? "evidence");
const out = resolve(flag("--out") ?? "out/bench-fidelity");
const knobValues = flag("--knobs")?.split(",").map(Number);
const onlyBackbones = flag("--backbones")?.split(",");
const combos = flag("--combos")?.split(",");
const predictOnly = hasFlag("--predict-only");

/** `<nn>/<backbone>/<approximator>-<level>`, the candidate ids of the tuning reports. */
const pickName = (m: FidelityPick) => [m.nn, m.backbone, `${m.approximator}-${m.level}`].filter((x) => x !== undefined).join("/");
/** A point's candidate id; a combination's joined by ` + `. */
const nameOf = (p: FidelityPoint) => (p.combination ?? [p]).map(pickName).join(" + ");

function fail(message: string): never {
  console.error(`bench:fidelity: ${message}`);
  process.exit(1);
}

for (const a of apps) if (!APPS.includes(a)) fail(`--apps: unknown application "${a}" (evidence configs: ${APPS.join(", ")})`);
if (knobValues?.some((v) => !(v > 0))) fail(`--knobs: expected positive numbers, got "${flag("--knobs")}"`);
for (const c of combos ?? [])
  if (c !== "diagonal" && !/^\d+(:\d+)+$/.test(c)) fail(`--combos: expected "diagonal" or levels per network (11:12), got "${c}"`);

const metrics: Record<string, number> = {};
try {
  for (const app of apps) await judge(app);
} catch (e) {
  fail((e as Error).message);
}

console.log("");
for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(52)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(metrics, null, 2) + "\n");

/** Every candidate of `app` judged three ways, its table printed and its keys added to `metrics`. */
async function judge(app: string): Promise<void> {
  const configPath = join(evidenceDir, `${app}.json`);
  const constraintsPath = join(evidenceDir, app, "calibration", "constraints.json");
  const errorsPath = join(evidenceDir, app, "calibration", "error-distribution.json");
  if (!existsSync(configPath)) fail(`${configPath}: no such file`);
  const config = readTuningConfig(configPath);
  // The families the calibration injected, as it wrote them (measuring them again would repeat its closed-loop error
  // sequences): for the injected runs, and to place candidates when the calibration has world spreads.
  const needsErrors = !predictOnly || config.calibration.worldSpread;
  for (const file of needsErrors ? [constraintsPath, errorsPath] : [constraintsPath])
    if (!existsSync(file))
      fail(`${file}: no such file (committed with the evidence; \`npm run evidence\` writes it: its calibration is what is judged)`);
  const dir = join(out, app);
  mkdirSync(join(dir, "candidates"), { recursive: true });
  const setup = await setupTuning(
    { ...config, workers: intFlag("--workers", config.workers) },
    app,
    configPath,
    undefined,
    undefined,
    join(dir, "qos-cache.jsonl"),
  );
  try {
    const constraints = readConstraints(constraintsPath);
    const seeds = configSeeds(config, configPath).verification;
    const backbones = onlyBackbones ? backbonesOf(onlyBackbones, setup.backbones) : setup.backbones;
    const errors = needsErrors ? ErrorDistribution.fromJSON(readJsonFile(errorsPath), errorsPath) : undefined;
    process.stderr.write(`${app}: measuring candidates\n`);
    const candidates = await measureCandidates(setup.nns, approximatorsByNn(setup.approximators, setup.nns), setup.metrics, setup.dataset, {
      candidateDir: join(dir, "candidates"),
      latencyRuns: 3,
      backbones,
      // A calibration with world spreads places candidates by their world-equivalent levels, as the guided search does.
      ...(setup.worldGroups && { worldEquivalence: { groups: setup.worldGroups, errors: errors! } }),
    });
    const combinations = combos && combinationsOf(combos, candidates);
    const knob = setup.knobs[0];
    const settings: (Record<string, number> | undefined)[] = knob
      ? (knobValues ?? [knob.values[0]]).map((v) => ({ [knob.name]: v }))
      : [undefined];
    for (const knobs of settings) {
      const tag = (knobs ? `.${Object.entries(knobs).map(([k, v]) => `${k}=${v}`)[0]}` : "") + (combinations ? ".combos" : "");
      if (predictOnly) {
        const originals = combinations ? undefined : candidates.map((list) => list[0]);
        classifyOnly(`${app}${tag}`, fidelityCombinations(candidates, combinations), originals, knobs ?? {}, constraints, setup.metrics.length);
        continue;
      }
      const t0 = performance.now();
      const report: FidelityReport = await calibrationFidelity(candidates, constraints, errors!, setup.qos, {
        seeds,
        knobs,
        injectedEverywhere: !hasFlag("--injected-where-uncertain"),
        ...(combinations && { combinations }),
        onPoint: (p, done, total) =>
          process.stderr.write(
            `${app}${tag} ${done}/${total} ${nameOf(p)}: predicted ${p.predicted} (${p.classified}), injected ${describeVerdict(p.injected, p.injectedRuns)}, real ${describeVerdict(p.real, p.realRuns)}\n`,
          ),
      });
      const k = (name: string) => `fidelity.${app}${tag}.${name}`;
      metrics[k("agreement")] = report.agreement;
      if (report.injectedAgreement !== undefined) metrics[k("injectedAgreement")] = report.injectedAgreement;
      metrics[k("predictedPassRealFail")] = report.confusion.predictedPassRealFail;
      metrics[k("predictedFailRealPass")] = report.confusion.predictedFailRealPass;
      metrics[k("uncertain")] = report.confusion.uncertain;
      metrics[k("realUncertain")] = report.points.filter((p) => p.real === "uncertain").length;
      metrics[k("points")] = report.points.length;
      console.log(`\n${app}${tag}: ${report.points.length} candidates in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
      const width = Math.max(34, ...report.points.map((p) => nameOf(p).length));
      console.log(
        `${"candidate".padEnd(width)} ${"metrics".padStart(8)} ${"constraints".padStart(11)} ${"predicted".padStart(9)} ${"injected".padStart(16)} ${"real".padStart(16)}`,
      );
      for (const p of report.points) {
        const name = nameOf(p);
        const point = p.point
          .slice(0, setup.metrics.length)
          .map((m) => m.toFixed(4))
          .join(", ");
        console.log(
          `${name.padEnd(width)} ${point.padStart(8)} ${p.classified.padStart(11)} ${p.predicted.padStart(9)} ${describeVerdict(p.injected, p.injectedRuns).padStart(16)} ${describeVerdict(p.real, p.realRuns).padStart(16)}`,
        );
      }
    }
  } finally {
    await setup.close();
  }
}

/**
 * `--predict-only`: the constraints' classification of each point, printed, counted into `metrics`; no run.
 * With `originals` (single levels) a point is named by its approximated model alone, else by all its models.
 */
function classifyOnly(
  tag: string,
  points: readonly (readonly Candidate[])[],
  originals: readonly Candidate[] | undefined,
  knobs: Readonly<Record<string, number>>,
  constraints: Constraints,
  axes: number,
): void {
  const counts = { valid: 0, invalid: 0, uncertain: 0 };
  const rows = points.map((picked) => {
    const point = pointOf(picked, knobs, constraints);
    const classified = constraints.classify(point);
    counts[classified]++;
    const named = originals ? picked.filter((c, i) => c !== originals[i]) : picked;
    return { name: named.map(pickName).join(" + "), point, classified };
  });
  const width = Math.max(34, ...rows.map((r) => r.name.length));
  console.log(`\n${tag}: ${rows.length} points classified by the constraints (no closed-loop run)`);
  console.log(`${"candidate".padEnd(width)} ${"metrics".padStart(16)} ${"constraints".padStart(11)}`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)} ${r.point
        .slice(0, axes)
        .map((m) => m.toFixed(4))
        .join(", ")
        .padStart(16)} ${r.classified.padStart(11)}`,
    );
  for (const [k, v] of Object.entries(counts)) metrics[`fidelity.${tag}.classified.${k}`] = v;
  metrics[`fidelity.${tag}.points`] = rows.length;
}

/**
 * The backbones `--backbones` keeps per network: a plain name keeps that backbone in every network that has it,
 * `nn=name` keeps it in `nn` alone (e.g. `heading=squeezenet,distance=resnet18`, a pair across backbones); a network
 * named neither way keeps all its backbones.
 */
function backbonesOf<B extends { name: string }>(items: readonly string[], all: Record<string, readonly B[]>): Record<string, B[]> {
  const named = items.map((item) => {
    const parts = item.split("=");
    if (parts.length > 2 || parts.includes("")) fail(`--backbones: expected <backbone> or <network>=<backbone>, got "${item}"`);
    const [nn, name] = parts.length === 2 ? parts : [undefined, item];
    if (nn !== undefined && !(nn in all)) fail(`--backbones: "${item}" names no network of the config (${Object.keys(all).join(", ")})`);
    return { nn, name };
  });
  return Object.fromEntries(
    Object.entries(all).map(([nn, list]) => {
      const own = named.filter((b) => b.nn === nn);
      const wanted = (own.length > 0 ? own : named.filter((b) => b.nn === undefined)).map((b) => b.name);
      if (wanted.length === 0) return [nn, [...list]];
      const kept = list.filter((b) => wanted.includes(b.name));
      if (kept.length === 0) fail(`--backbones: none of ${wanted.join(", ")} is a backbone of ${nn} (${list.map((b) => b.name).join(", ")})`);
      return [nn, kept];
    }),
  );
}

/** The `--combos` items as combinations of `candidates` (one backbone per network): `diagonal` or levels per network. */
function combinationsOf(items: readonly string[], candidates: readonly (readonly Candidate[])[]): Candidate[][] {
  for (const list of candidates)
    if (new Set(list.map((c) => c.backbone)).size > 1)
      fail(`--combos: ${list[0].nn} has several backbones; choose one per network with --backbones`);
  const levels = candidates.map((list) => list.map((c) => c.level));
  const depth = Math.min(...levels.map((l) => Math.max(...l)));
  return items.flatMap((item) => {
    const picks = item === "diagonal" ? Array.from({ length: depth }, (_, k) => candidates.map(() => k + 1)) : [item.split(":").map(Number)];
    return picks.map((lv) => {
      if (lv.length !== candidates.length)
        fail(`--combos: "${item}" gives ${lv.length} levels, expected one per network (${candidates.map((l) => l[0].nn).join(", ")})`);
      return lv.map((level, i) => {
        const at = candidates[i].filter((x) => x.level === level);
        if (at.length === 0) fail(`--combos: ${candidates[i][0].nn} has levels 0–${Math.max(...levels[i])}, not ${level}`);
        if (at.length > 1) fail(`--combos: ${candidates[i][0].nn} has several approximators at level ${level}`);
        return at[0];
      });
    });
  });
}
