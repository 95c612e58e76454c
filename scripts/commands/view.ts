import type { Command } from "commander";
import { serveViewer, writeViewer } from "../../viewer/index.ts";
import { argument, existingPathArg, intArg, option } from "../options/index.ts";

interface ViewCliOptions {
  out?: string;
  serve?: boolean;
  port: number;
}

/** `approxcaliper view <dir>`: writes a self-contained replay viewer for a run, calibration or optimize output; optionally serves it. */
export function register(program: Command): void {
  program
    .command("view")
    .description(
      "write <dir>/viewer.html, a self-contained 3-D replay viewer of the recorded runs in a run, calibrate or optimize output folder",
    )
    .addArgument(argument("<dir>", "output folder of run, calibrate or optimize", existingPathArg("folder")))
    .option("--out <file>", "where to write the page (default: <dir>/viewer.html)")
    .option("--serve", "also serve the page on 127.0.0.1 and print its URL (Ctrl-C stops)")
    .addOption(option("--port <n>", "port for --serve (0: any free port)", intArg(0, 65535), 0))
    .action(async (dir: string, o: ViewCliOptions) => {
      const page = await writeViewer(dir, o.out);
      console.log(`wrote ${page.file} (${page.replays} replay(s), ${(page.bytes / 1e6).toFixed(1)} MB)`);
      if (page.replays === 0) console.log("no recorded runs found: record them with --record all (default: failing runs only)");
      if (o.serve) {
        const { url } = await serveViewer(page.file, o.port);
        console.log(`serving ${url} (Ctrl-C to stop)`);
      }
    });
}
