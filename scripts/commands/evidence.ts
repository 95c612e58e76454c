import { existsSync } from "node:fs";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { getApplication, RECORD_MODES, runEvidence, type EvidenceApplication, type RecordMode } from "../../pipelines/index.ts";
import { choiceOption } from "../options/index.ts";

interface EvidenceCliOptions {
  out: string;
  json?: string;
  record: RecordMode;
}

/** `<application>=<config.json>` → the pair, checked before anything runs. */
function parsePair(text: string): EvidenceApplication {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1)
    throw new InputError(
      "<application=config>",
      `expected <application>=<config.json> (e.g. cropfollow=evidence/cropfollow.json), got "${text}"`,
    );
  const application = getApplication(text.slice(0, eq), `<application=config> "${text}"`).name;
  const config = text.slice(eq + 1);
  if (!existsSync(config)) throw new InputError(`<application=config> "${text}"`, `no such file: ${config}`);
  return { application, config };
}

/**
 * `approxcaliper evidence cropfollow=evidence/cropfollow.json gem=evidence/gem.json --out evidence [--json f]`:
 * the paper's comparison for each application (`runEvidence`): calibration,
 * guided tuning over every backbone × level (× knob), the unguided walk, the
 * application-agnostic baselines, verification on fresh seeds and worlds;
 * writes report.json, report.html and summary.md to `--out`.
 */
export function register(program: Command): void {
  program
    .command("evidence")
    .description("reproduce the paper's comparison: guided vs unguided tuning and vs the application-agnostic baseline, per application")
    .argument("<application=config...>", "an application and its tuning config, e.g. cropfollow=evidence/cropfollow.json (one or more)")
    .requiredOption("--out <dir>", "output folder (report.json, report.html, summary.md; one working folder per application)")
    .option("--json <file>", "also write the flat metrics (evidence.<app>.speedupVsAgnostic, …) to this file")
    .addOption(choiceOption("--record <which>", "replays of the failing, all or none of the QoS runs", RECORD_MODES, "failing"))
    .action(async (pairs: string[], o: EvidenceCliOptions) => {
      const apps = pairs.map(parsePair);
      const seen = new Set<string>();
      for (const a of apps) {
        if (seen.has(a.application)) throw new InputError("<application=config>", `${a.application} is given twice`);
        seen.add(a.application);
      }
      const report = await runEvidence(apps, {
        out: o.out,
        json: o.json,
        record: o.record,
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      for (const [k, v] of Object.entries(report.metrics))
        console.log(`${k.padEnd(52)} ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : v}`);
      console.log(`wrote ${o.out}/report.json, report.html and summary.md in ${(report.seconds / 60).toFixed(1)} min`);
    });
}
