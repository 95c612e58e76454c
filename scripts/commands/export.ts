import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { exportMcap } from "../../viewer/index.ts";
import { argument, existingPathArg } from "../options/index.ts";

interface ExportCliOptions {
  mcap?: string;
}

/** `approxcaliper export <run-dir> --mcap out.mcap`: one recorded run as MCAP for Foxglove / Lichtblick. */
export function register(program: Command): void {
  program
    .command("export")
    .description("export one recorded run (a folder with recording.json, e.g. out/run/seed-3) for other tools")
    .addArgument(argument("<run-dir>", "recorded run folder (has recording.json)", existingPathArg("folder")))
    .option("--mcap <file>", "write an MCAP file with Foxglove's well-known JSON schemas (opens in Foxglove and Lichtblick)")
    .action(async (dir: string, o: ExportCliOptions) => {
      if (!o.mcap) throw new InputError("--mcap", "say where to write: --mcap <file.mcap> (the only export format so far)");
      const r = await exportMcap(dir, o.mcap);
      const total = Object.values(r.messages).reduce((a, b) => a + b, 0);
      console.log(
        `wrote ${r.file}: ${total} messages on ${Object.keys(r.messages).length} topics ` +
          `(${Object.entries(r.messages)
            .map(([t, n]) => `${t} ${n}`)
            .join(", ")}), ${(Number(r.endTime - r.startTime) / 1e9).toFixed(2)} s`,
      );
    });
}
