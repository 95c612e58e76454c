import { createHash } from "node:crypto";
import { join } from "node:path";
import { InputError, writeFileAtomic } from "../../common/index.ts";
import type { Approximator } from "../approx/Approximator.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { Model } from "../onnx/ir.ts";
import type { Candidate, WorldEquivalence } from "./Candidate.ts";
import { measureCandidate } from "./measureCandidate.ts";

/**
 * One candidate model of an NN (an architecture, e.g. the zoo's DarkNet
 * heading network) and the approximators that make its levels.
 */
export interface Backbone {
  /** Backbone name, unique per NN (e.g. `darknet`); candidate ids and the agnostic reference use it. */
  name: string;
  /** The unapproximated model; it must read the NN's inputs and write its outputs. */
  model: Model;
  /** Its approximators (e.g. its cached pruning levels). @default the NN's approximators */
  approximators?: readonly Approximator[];
}

/** Options of {@link measureCandidates}. */
export interface MeasureCandidatesOptions {
  /** Folder the candidates' ONNX files are written to. */
  candidateDir: string;
  /** Timed batch-1 runs per latency measurement (median kept). @default 20 */
  latencyRuns?: number;
  /** Several candidate models of an NN, by NN name: its candidates are every backbone's original and levels (the NN's own model is then not one). */
  backbones?: Readonly<Record<string, readonly Backbone[]>>;
  /** Place candidates on a calibration with world spreads (see {@link WorldEquivalence}). @default none */
  worldEquivalence?: WorldEquivalence;
  /** Called before each candidate with `done` of `total` measured. */
  onProgress?: (done: number, total: number, message: string) => void;
}

/**
 * Guided tuning's candidates and their cheap measurements: for every NN the
 * original (level 0) and every level of each of its approximators — or,
 * with `backbones`, that of each of its backbones — measured
 * on `dataset` (metrics, batch-1 latency on one thread, FLOPs, params, encoded
 * size) and written to
 * `<candidateDir>/<nn>.[<backbone>.]<approximator>-<level>.<content hash>.onnx`
 * so QoS workers can load it. Candidates per NN, in `nns` order (backbones
 * in their given order, levels ascending).
 */
export async function measureCandidates(
  nns: readonly ModelRunner[],
  approximatorsOf: (nn: string) => readonly Approximator[],
  metrics: readonly ErrorMetric[],
  dataset: LabeledDataset,
  options: MeasureCandidatesOptions,
): Promise<Candidate[][]> {
  const progress = options.onProgress ?? (() => {});
  const sourcesOf = (nn: ModelRunner): { backbone?: string; model: Model; approximators: readonly Approximator[] }[] => {
    const listed = options.backbones?.[nn.name];
    if (listed) {
      if (listed.length === 0) throw new InputError(`backbones.${nn.name}`, "lists no models");
      const names = new Set<string>();
      return listed.map((b) => {
        if (names.has(b.name)) throw new InputError(`backbones.${nn.name}`, `backbone "${b.name}" is listed twice`);
        names.add(b.name);
        return { backbone: b.name, model: b.model, approximators: b.approximators ?? approximatorsOf(nn.name) };
      });
    }
    if (!nn.model) throw new InputError(`NN ${nn.name}`, "has no ONNX model to approximate");
    return [{ model: nn.model, approximators: approximatorsOf(nn.name) }];
  };
  for (const name of Object.keys(options.backbones ?? {})) {
    if (!nns.some((n) => n.name === name))
      throw new InputError(`backbones.${name}`, `not one of the NNs (${nns.map((n) => n.name).join(", ")})`);
  }
  const sources = nns.map(sourcesOf);
  const total = sources.reduce((s, list) => s + list.reduce((t, src) => t + 1 + src.approximators.reduce((u, a) => u + a.nSteps, 0), 0), 0);
  let done = 0;
  const candidates: Candidate[][] = [];
  for (const [i, nn] of nns.entries()) {
    const list: Candidate[] = [];
    for (const { backbone, model: source, approximators } of sources[i]) {
      const tag = backbone === undefined ? "" : `${safeFileName(backbone)}.`;
      const add = async (approximator: string, level: number, fraction: number, model: Model) => {
        progress(done, total, `${nn.name} ${backbone ?? ""} ${approximator} ${level}`.replace(/ +/g, " "));
        const identity = { nn: nn.name, ...(backbone !== undefined ? { backbone } : {}), approximator, level, fraction };
        const c = await measureCandidate(identity, model, metrics, dataset, {
          runs: options.latencyRuns,
          worldEquivalence: options.worldEquivalence,
        });
        // The content hash in the name keeps path-keyed QoS caches (the pipelines' cache file) from
        // answering for a different model written to the same place by an earlier run.
        const bytes = encodeModel(model);
        const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
        c.file = join(options.candidateDir, `${safeFileName(nn.name)}.${tag}${safeFileName(approximator)}-${level}.${digest}.onnx`);
        await writeFileAtomic(c.file, bytes);
        delete c.model; // written out; keeping every level in memory is what makes big sweeps swap
        list.push(c);
        done++;
      };
      await add("original", 0, 0, source);
      for (const a of approximators) for await (const lvl of a.levels(source)) await add(a.name, lvl.level, lvl.fraction, lvl.model);
    }
    candidates.push(list);
  }
  progress(done, total, "measured");
  return candidates;
}

/** A name usable in a file name. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_");
}
