import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { formatModelSummary, modelStats, readModel } from "../../optimizer/index.ts";

interface InspectCliOptions {
  json?: string;
  batch: string;
}

/** `approxcaliper inspect model.onnx`: layers with shapes, params, FLOPs and totals. */
export function register(program: Command): void {
  program
    .command("inspect")
    .description("print an ONNX model's layers with output shapes, params, FLOPs and totals")
    .argument("<model>", ".onnx file")
    .option("--json <file>", "also write { totalFlops, totalParams, otherFlops, layers } as JSON")
    .option("--batch <n>", "batch size used for a symbolic batch dim", "1")
    .action(async (path: string, o: InspectCliOptions) => {
      const batch = Number(o.batch);
      if (!Number.isInteger(batch) || batch < 1) throw new InputError("--batch", `expected a positive integer, got "${o.batch}"`);
      const model = await readModel(path);
      const stats = modelStats(model, { batch, where: path });
      console.log(formatModelSummary(stats, `${path} (opset ${model.opsets[""] ?? "?"}, batch ${batch})`));
      if (o.json) writeFileSync(o.json, JSON.stringify(stats, null, 2) + "\n");
    });
}
