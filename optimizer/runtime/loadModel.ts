import * as ort from "onnxruntime-node";
import { InputError } from "../../common/index.ts";
import type { Model } from "../onnx/ir.ts";
import { encodeModel, readModel } from "../onnx/serialize.ts";
import { NnModel } from "./NnModel.ts";

/** Options for {@link loadModel}. */
export interface LoadModelOptions {
  /** Threads of onnxruntime's intra-op pool. @default 1 */
  intraOpThreads?: number;
  /**
   * Let pool threads spin while waiting for work. Spinning lowers latency a
   * little with several threads but burns the cores the simulator needs, so
   * it is off unless asked for (sets `session.intra_op.allow_spinning`).
   * @default false
   */
  allowSpinning?: boolean;
  /** onnxruntime graph optimisation level. @default "all" */
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  /** Name used in error messages for an in-memory model. @default the graph name */
  where?: string;
}

/**
 * Loads a model (a `.onnx` path or an IR {@link Model}) into an
 * onnxruntime-node session on the CPU: `interOpNumThreads` 1, sequential
 * execution, `intraOpThreads` threads (default 1), spinning off by default.
 * The session is built from the IR re-encoded with inline weights, so what
 * runs is exactly what the IR says.
 *
 * @throws ModelFormatError for unreadable/malformed files; InputError when
 *   onnxruntime rejects the model (its message included).
 */
export async function loadModel(source: string | Model, opts: LoadModelOptions = {}): Promise<NnModel> {
  const model = typeof source === "string" ? await readModel(source) : source;
  const where = typeof source === "string" ? source : (opts.where ?? (model.graph.name || "model"));
  const threads = opts.intraOpThreads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new InputError("intraOpThreads", `expected a positive integer, got ${threads}`);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ["cpu"],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: opts.graphOptimizationLevel ?? "all",
    extra: {
      "session.intra_op.allow_spinning": opts.allowSpinning ? "1" : "0",
      "session.inter_op.allow_spinning": "0",
    },
  };
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(model), sessionOptions);
  } catch (err) {
    throw new InputError(where, `onnxruntime cannot load the model: ${(err as Error).message}`);
  }
  try {
    return new NnModel(session, model, where);
  } catch (err) {
    await session.release();
    throw err;
  }
}
