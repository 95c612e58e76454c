import { createHash } from "node:crypto";
import { join } from "node:path";
import { InputError, writeFileAtomic } from "../../common/index.ts";
import type { Approximator } from "../approx/Approximator.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { Candidate } from "./Candidate.ts";
import { measureCandidate } from "./measureCandidate.ts";

/** Options of {@link measureCandidates}. */
export interface MeasureCandidatesOptions {
  /** Folder the candidates' ONNX files are written to. */
  candidateDir: string;
  /** Timed batch-1 runs per latency measurement (median kept). @default 20 */
  latencyRuns?: number;
  /** Called before each candidate with `done` of `total` measured. */
  onProgress?: (done: number, total: number, message: string) => void;
}

/**
 * Guided tuning's candidates and their cheap measurements: for every NN the
 * original (level 0) and every level of each of its approximators, measured
 * on `dataset` (metrics, batch-1 latency on one thread, FLOPs, params, encoded
 * size) and written to
 * `<candidateDir>/<nn>.<approximator>-<level>.<content hash>.onnx` so QoS
 * workers can load it. Candidates per NN, in `nns` order.
 */
export async function measureCandidates(
  nns: readonly ModelRunner[],
  approximatorsOf: (nn: string) => readonly Approximator[],
  metrics: readonly ErrorMetric[],
  dataset: LabeledDataset,
  options: MeasureCandidatesOptions,
): Promise<Candidate[][]> {
  const progress = options.onProgress ?? (() => {});
  const total = nns.reduce((s, nn) => s + 1 + approximatorsOf(nn.name).reduce((t, a) => t + a.nSteps, 0), 0);
  let done = 0;
  const candidates: Candidate[][] = [];
  for (const nn of nns) {
    const source = nn.model;
    if (!source) throw new InputError(`NN ${nn.name}`, "has no ONNX model to approximate");
    const list: Candidate[] = [];
    const add = async (approximator: string, level: number, fraction: number, model: typeof source) => {
      progress(done, total, `${nn.name} ${approximator} ${level}`);
      const c = await measureCandidate({ nn: nn.name, approximator, level, fraction }, model, metrics, dataset, { runs: options.latencyRuns });
      // The content hash in the name keeps path-keyed QoS caches (the pipelines' cache file) from
      // answering for a different model written to the same place by an earlier run.
      const bytes = encodeModel(model);
      const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
      c.file = join(options.candidateDir, `${safeFileName(nn.name)}.${safeFileName(approximator)}-${level}.${digest}.onnx`);
      await writeFileAtomic(c.file, bytes);
      delete c.model; // written out; keeping every level in memory is what makes big sweeps swap
      list.push(c);
      done++;
    };
    await add("original", 0, 0, source);
    for (const a of approximatorsOf(nn.name)) for await (const lvl of a.levels(source)) await add(a.name, lvl.level, lvl.fraction, lvl.model);
    candidates.push(list);
  }
  progress(done, total, "measured");
  return candidates;
}

/** A name usable in a file name. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_");
}
