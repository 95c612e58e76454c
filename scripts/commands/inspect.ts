import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatModelSummary, modelStats, readModel } from "../../optimizer/index.ts";
import { deprecatedAlias, intArg, option } from "../options/index.ts";

interface InspectCliOptions {
  json?: string;
  batchSize: number;
}

/** `approxcaliper inspect model.onnx`: layers with shapes, params, FLOPs and totals. */
export function register(program: Command): void {
  const command = program
    .command("inspect")
    .description("print an ONNX model's layers with output shapes, params, FLOPs and totals")
    .argument("<model>", ".onnx file")
    .option("--json <file>", "also write { totalFlops, totalParams, otherFlops, layers } as JSON")
    .addOption(option("--batch-size <n>", "batch size used for a symbolic batch dim", intArg(1), 1));
  deprecatedAlias(command, "--batch <n>", "--batch-size");
  command.action(async (path: string, o: InspectCliOptions) => {
    const batch = o.batchSize;
    const model = await readModel(path);
    const stats = modelStats(model, { batch, where: path });
    console.log(formatModelSummary(stats, `${path} (opset ${model.opsets[""] ?? "?"}, batch ${batch})`));
    if (o.json) writeFileSync(o.json, JSON.stringify(stats, null, 2) + "\n");
  });
}
