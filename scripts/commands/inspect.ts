import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatModelSummary, loadModel, measureInterleaved, modelStats, readModel, type InterleavedLatency } from "../../optimizer/index.ts";
import { deprecatedAlias, existingPathArg, intArg, option } from "../options/index.ts";

interface InspectCliOptions {
  json?: string;
  batchSize: number;
  latency?: boolean;
  compare?: string;
  rounds: number;
}

/** Batch-1 one-thread latency of `path` (and `compare`, interleaved with it). */
async function latencies(path: string, compare: string | undefined, rounds: number): Promise<InterleavedLatency[]> {
  const nns = [await loadModel(path, { intraOpThreads: 1 })];
  try {
    if (compare) nns.push(await loadModel(compare, { intraOpThreads: 1 }));
    return await measureInterleaved(nns, { rounds, runsPerBlock: 20, warmup: 20 });
  } finally {
    for (const nn of nns) await nn.dispose();
  }
}

const ms = (l: InterleavedLatency) =>
  `${l.medianMs.toFixed(3)} ms (p10–p90 of ${l.runs / 20} block medians: ${l.p10Ms.toFixed(3)}–${l.p90Ms.toFixed(3)})`;

/** `approxcaliper inspect model.onnx`: layers with shapes, params, FLOPs and totals. */
export function register(program: Command): void {
  const command = program
    .command("inspect")
    .description("print an ONNX model's layers with output shapes, params, FLOPs and totals")
    .argument("<model>", ".onnx file")
    .option("--json <file>", "also write { totalFlops, totalParams, otherFlops, layers } as JSON")
    .addOption(option("--batch-size <n>", "batch size used for a symbolic batch dim", intArg(1), 1))
    .option("--latency", "measure batch-1 latency on one onnxruntime thread (median and spread of interleaved blocks of 20 runs)")
    .addOption(
      option(
        "--compare <other.onnx>",
        "measure latency interleaved with this model (e.g. the original) and report the speed-up over it",
        existingPathArg("file"),
      ),
    )
    .addOption(option("--rounds <n>", "latency: blocks of 20 runs per model", intArg(3, 1000), 15));
  deprecatedAlias(command, "--batch <n>", "--batch-size");
  command.action(async (path: string, o: InspectCliOptions) => {
    const batch = o.batchSize;
    const model = await readModel(path);
    const stats = modelStats(model, { batch, where: path });
    console.log(formatModelSummary(stats, `${path} (opset ${model.opsets[""] ?? "?"}, batch ${batch})`));
    let latency:
      | {
          medianMs: number;
          p10Ms: number;
          p90Ms: number;
          runs: number;
          compare?: { file: string; medianMs: number; speedup: InterleavedLatency["speedup"] };
        }
      | undefined;
    if (o.latency || o.compare) {
      const [self, other] = await latencies(path, o.compare, o.rounds);
      console.log(`latency (batch 1, 1 thread, interleaved): ${ms(self)}`);
      latency = { medianMs: self.medianMs, p10Ms: self.p10Ms, p90Ms: self.p90Ms, runs: self.runs };
      if (other) {
        // measureInterleaved gives speed-ups over its first model; this model's over the other is the inverse.
        const speedup = { median: 1 / other.speedup.median, p10: 1 / other.speedup.p90, p90: 1 / other.speedup.p10 };
        console.log(
          `${o.compare}: ${ms(other)}; ${path} is ${speedup.median.toFixed(2)}× as fast (p10–p90 ${speedup.p10.toFixed(2)}–${speedup.p90.toFixed(2)})`,
        );
        latency.compare = { file: o.compare!, medianMs: other.medianMs, speedup };
      }
    }
    if (o.json) writeFileSync(o.json, JSON.stringify({ ...stats, ...(latency ? { latency } : {}) }, null, 2) + "\n");
  });
}
