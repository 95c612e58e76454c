/**
 * bench:evidence — the paper's comparison on the zoo (`runEvidence`, the same as `npm run evidence`):
 * for each application its committed evidence config (evidence/cropfollow.json, evidence/gem.json;
 * `--apps` picks some), into `--out` (default out/bench-evidence; a rerun resumes from its calibration
 * checkpoints and QoS cache), printing the flat metrics and writing them with `--json <file>`:
 * `evidence.<app>.speedupVsAgnostic`, `.sizeReductionVsAgnostic`, `.utilizationReductionVsAgnostic`,
 * `.qosRuns.guided`, `.qosRuns.unguided`, `.guidedEqualsUnguided`, `.verification.passRate`, … (see
 * `evidenceMetrics`). Needs the zoo and its levels (`npm run train:zoo`, `npm run levels:zoo`).
 *
 *   npm run bench:evidence -- [--json out.json] [--out dir] [--apps cropfollow,gem]
 */
import { resolve } from "node:path";
import { runEvidence } from "../../index.ts";
import { flag, jsonFile } from "./benchArgs.ts";

const CONFIGS: Record<string, string> = { cropfollow: "evidence/cropfollow.json", gem: "evidence/gem.json" };
const apps = (flag("--apps") ?? Object.keys(CONFIGS).join(",")).split(",");
for (const a of apps) {
  if (!(a in CONFIGS)) {
    console.error(`bench:evidence: --apps: unknown application "${a}" (evidence configs: ${Object.keys(CONFIGS).join(", ")})`);
    process.exit(1);
  }
}
const out = resolve(flag("--out") ?? "out/bench-evidence");

try {
  const report = await runEvidence(
    apps.map((application) => ({ application, config: CONFIGS[application] })),
    { out, json: jsonFile, onProgress: (line) => process.stderr.write(`${line}\n`) },
  );
  for (const [k, v] of Object.entries(report.metrics))
    console.log(`${k.padEnd(52)} ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : v}`);
  console.log(`${(report.seconds / 60).toFixed(1)} min; reports in ${out} (summary.md, report.html)`);
} catch (e) {
  console.error(`bench:evidence: ${(e as Error).message}`);
  process.exit(1);
}
