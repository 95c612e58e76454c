import * as ort from "onnxruntime-node";
import { check, InputError, Random } from "../../common/index.ts";
import { cloneModel } from "../onnx/cloneModel.ts";
import { removeDeadNodes, removeUnusedInitializers } from "../onnx/editGraph.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { annotateShapes } from "../onnx/inferShapes.ts";
import { DataType, type Dim, type Graph, type Model, type Tensor } from "../onnx/ir.ts";
import { buildBackward } from "./autodiff.ts";
import type { GradientRule } from "./gradients/GradientRule.ts";
import { GraphWriter } from "./GraphWriter.ts";
import type { Loss } from "./losses/Loss.ts";
import type { Optimizer } from "./optimizers/Optimizer.ts";
import { fillDropoutMask, toTrainingGraph, type DropoutMaskInput } from "./training-mode.ts";
import { toOpset18 } from "./toOpset18.ts";
import { trainableParameters } from "./trainableParameters.ts";

/** Options of {@link TrainingSession.create}. */
export interface TrainingSessionOptions {
  /** The loss, attached to {@link output}. */
  loss: Loss;
  optimizer: Optimizer;
  /** The model output the loss applies to. @default the first output */
  output?: string;
  /** Parameters held fixed (initializer names, or a predicate on the name). @default none */
  frozen?: readonly string[] | ((name: string) => boolean);
  /** Parameters to consider instead of the default {@link trainableParameters} (`frozen` still applies). */
  parameters?: readonly string[];
  /**
   * onnxruntime intra-op threads. One thread is the default because small
   * training graphs were measured to run faster on one (see `npm run bench:train`).
   * @default 1
   */
  intraOpThreads?: number;
  /** Seed of the dropout masks (drawn per step from `seed` and the step count). @default 0 */
  seed?: number;
  /** Gradient rules by op type, e.g. the default registry plus user overrides. @default every shipped rule */
  gradientRules?: ReadonlyMap<string, GradientRule>;
}

/**
 * Everything a training run must carry across steps, keyed by name:
 * parameters (their initializer names), BatchNorm running statistics, and
 * optimizer state (`<param>#<slot>`), plus the optimizer step count.
 */
export interface TrainingState {
  /** Optimizer steps taken so far. */
  step: number;
  tensors: Map<string, Float32Array>;
}

/** One batch: `size` samples of NCHW inputs and their targets (buffers may be longer). */
export interface TrainingBatch {
  inputs: Float32Array;
  targets: Float32Array;
  size: number;
}

interface TensorSlot {
  /** Name in the training graph's inputs / state map. */
  name: string;
  dims: number[];
  /** Training-graph output holding the updated value. */
  updated: string;
}

const BATCH = "N";

/**
 * Trains an ONNX model with onnxruntime: forward → training-mode rewrite
 * (BatchNorm with batch statistics, Dropout with masks) → loss → backward
 * (`buildBackward`) → optimizer update, assembled into ONE ONNX model so that
 * a training step is one `InferenceSession.run`.
 *
 * Trainable parameters, running statistics and optimizer state are graph
 * inputs; their updated values are outputs, kept in Float32Arrays between
 * steps and fed back. Frozen parameters stay initializers (constants) of the
 * training graph. The learning rate and the step count are scalar inputs, so
 * schedules live on the host.
 *
 * The training graph is built for a fixed batch size (static shapes let every
 * gradient rule and onnxruntime's planner work with known sizes); a step with
 * another batch size (an epoch's last, partial batch) builds and caches a
 * second graph on first use. A separate inference-mode session (running
 * statistics, no dropout, dynamic batch) with the same weights as inputs
 * serves {@link predict}.
 *
 * @example
 * const s = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd({ momentum: 0.9 }) });
 * const loss = await s.trainStep({ inputs, targets, size: 16 }, 0.01);
 * const trained = s.exportModel();
 * await s.release();
 */
export class TrainingSession {
  /** Names of the trained parameters. */
  readonly parameters: readonly string[];
  /** Names of parameters held fixed. */
  readonly frozen: readonly string[];
  /** [C, H, W] of one input sample. */
  readonly inputShape: readonly number[];
  /** Shape of one target sample (= one sample of the loss output). */
  readonly targetShape: readonly number[];
  /** Floats per input sample. */
  readonly inputSize: number;
  /** Floats per target sample. */
  readonly targetSize: number;
  /** The loss the session minimizes. */
  readonly loss: Loss;
  readonly optimizer: Optimizer;

  private stepCount = 0;
  private readonly gradientRules?: ReadonlyMap<string, GradientRule>;
  /** The model in opset 18, the training graph's opset. */
  private readonly upgraded: Model;
  private readonly values = new Map<string, Float32Array>();
  private readonly dropoutRng: Random;
  private readonly trainers = new Map<number, Promise<Trainer>>();
  /** Parameters and running statistics: the initializers the inference model reads. */
  private readonly weightSlots: { name: string; dims: number[] }[];
  private readonly stateSlots: { name: string; dims: number[] }[];

  private constructor(
    private readonly model: Model,
    /** The model with a symbolic batch and inferred shapes. */
    private readonly shaped: Model,
    private readonly output: string,
    private readonly evalSession: ort.InferenceSession,
    private readonly sessionOptions: ort.InferenceSession.SessionOptions,
    init: {
      parameters: string[];
      frozen: string[];
      inputShape: number[];
      targetShape: number[];
      seed: number;
      loss: Loss;
      optimizer: Optimizer;
      runningStats: string[];
      gradientRules?: ReadonlyMap<string, GradientRule>;
    },
  ) {
    this.gradientRules = init.gradientRules;
    this.upgraded = toOpset18(model, "TrainingSession: model");
    this.parameters = init.parameters;
    this.frozen = init.frozen;
    this.inputShape = init.inputShape;
    this.targetShape = init.targetShape;
    this.inputSize = size(init.inputShape);
    this.targetSize = size(init.targetShape);
    this.loss = init.loss;
    this.optimizer = init.optimizer;
    this.dropoutRng = new Random(init.seed).fork("dropout");
    const dimsOf = (name: string) => [...model.graph.initializers.get(name)!.dims];
    this.weightSlots = [...init.parameters, ...init.runningStats].map((name) => ({ name, dims: dimsOf(name) }));
    this.stateSlots = init.parameters.flatMap((p) => init.optimizer.stateSlots.map((s) => ({ name: `${p}#${s}`, dims: dimsOf(p) })));
    for (const { name } of this.weightSlots) this.values.set(name, Float32Array.from(model.graph.initializers.get(name)!.data as Float32Array));
    for (const { name, dims } of this.stateSlots) this.values.set(name, new Float32Array(size(dims)));
  }

  /**
   * Checks the model and options, opens the inference session and, when
   * `batchSize` is given, builds the training graph for it up front.
   */
  static async create(model: Model, opts: TrainingSessionOptions & { batchSize?: number }): Promise<TrainingSession> {
    const where = "TrainingSession";
    const g0 = model.graph;
    check(g0.inputs.length === 1, `${where}: model inputs`, () => `exactly one graph input is supported, got ${g0.inputs.length}`);
    const outputName = opts.output ?? g0.outputs[0]?.name;
    check(outputName && g0.outputs.some((o) => o.name === outputName), `${where}.output`, () => `"${opts.output}" is not a model output`);

    const frozenList = typeof opts.frozen === "function" ? undefined : new Set(opts.frozen ?? []);
    const isFrozen = typeof opts.frozen === "function" ? opts.frozen : (name: string) => frozenList!.has(name);
    const candidates = opts.parameters ? [...opts.parameters] : trainableParameters(g0);
    for (const p of candidates) {
      const t = g0.initializers.get(p);
      check(t && t.dataType === DataType.FLOAT, `${where}.parameters`, () => `"${p}" is not a float32 initializer`);
    }
    for (const f of frozenList ?? []) {
      check(candidates.includes(f), `${where}.frozen`, () => `"${f}" is not a trainable parameter of the model`);
    }
    const parameters = candidates.filter((p) => !isFrozen(p));
    const frozen = candidates.filter((p) => isFrozen(p));
    check(parameters.length > 0, `${where}.frozen`, () => "every parameter is frozen; nothing to train");

    const shaped = withBatch(model, BATCH);
    const input = shaped.graph.inputs[0];
    const inputShape = staticTail(input.shape!, `${where}: input "${input.name}"`);
    const outInfo = shaped.graph.outputs.find((o) => o.name === outputName);
    check(outInfo?.shape, `${where}.output`, () => `the shape of "${outputName}" could not be inferred`);
    const targetShape = staticTail(outInfo.shape, `${where}.output "${outputName}"`);
    const runningStats = g0.nodes
      .filter((n) => n.opType === "BatchNormalization" && n.domain === "")
      .flatMap((n) => [n.inputs[3], n.inputs[4]])
      .filter((name) => g0.initializers.has(name));

    const evalOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    };
    // "extended" skips the NCHWc layout rewrite, whose reorders around the
    // many small nodes of a training graph do not pay off: measured as fast
    // as "all" or up to ~8% faster per step on the bench nets (and faster
    // still under CPU contention).
    const sessionOptions: ort.InferenceSession.SessionOptions = { ...evalOptions, graphOptimizationLevel: "extended" };
    const evalModel = buildInferenceModel(shaped, [...parameters, ...runningStats]);
    const evalSession = await ort.InferenceSession.create(encodeModel(evalModel), evalOptions);
    const session = new TrainingSession(model, shaped, outputName!, evalSession, sessionOptions, {
      parameters,
      frozen,
      inputShape,
      targetShape,
      seed: opts.seed ?? 0,
      loss: opts.loss,
      optimizer: opts.optimizer,
      runningStats: [...new Set(runningStats)],
      gradientRules: opts.gradientRules,
    });
    if (opts.batchSize) await session.trainerFor(opts.batchSize);
    return session;
  }

  /** Optimizer steps taken so far. */
  get step(): number {
    return this.stepCount;
  }

  /** The assembled training model for batch size `batch` (for inspection and profiling). */
  trainingModel(batch: number): Model {
    return this.build(batch).model;
  }

  /**
   * One training step on `batch` with learning rate `lr`: forward, backward
   * and update in one onnxruntime run. Returns the batch's mean loss (before the update).
   */
  async trainStep(batch: TrainingBatch, lr: number): Promise<number> {
    const n = batch.size;
    check(Number.isInteger(n) && n > 0, "TrainingSession.trainStep", () => `batch size must be a positive integer, got ${n}`);
    check(batch.inputs.length >= n * this.inputSize, "TrainingSession.trainStep", () => `inputs hold fewer than ${n} samples`);
    check(batch.targets.length >= n * this.targetSize, "TrainingSession.trainStep", () => `targets hold fewer than ${n} samples`);
    const trainer = await this.trainerFor(n);
    const feeds: Record<string, ort.Tensor> = {
      [trainer.input]: new ort.Tensor("float32", batch.inputs.subarray(0, n * this.inputSize), [n, ...this.inputShape]),
      [trainer.target]: new ort.Tensor("float32", batch.targets.subarray(0, n * this.targetSize), [n, ...this.targetShape]),
      [trainer.lr]: new ort.Tensor("float32", new Float32Array([lr]), []),
      [trainer.t]: new ort.Tensor("float32", new Float32Array([this.stepCount + 1]), []),
    };
    for (const s of trainer.slots) feeds[s.name] = new ort.Tensor("float32", this.values.get(s.name)!, s.dims);
    if (trainer.masks.length) {
      const rng = this.dropoutRng.fork(`step${this.stepCount}`);
      for (const m of trainer.masks) {
        const dims = m.shape as number[];
        feeds[m.name] = new ort.Tensor("float32", fillDropoutMask(new Float32Array(size(dims)), m.ratio, rng), dims);
      }
    }
    const out = await trainer.session.run(feeds);
    for (const s of trainer.slots) this.values.set(s.name, out[s.updated].data as Float32Array);
    this.stepCount++;
    return (out[trainer.loss].data as Float32Array)[0];
  }

  /** Inference-mode outputs (running statistics, no dropout) of the loss output for `n` samples. */
  async predict(inputs: Float32Array, n: number): Promise<Float32Array> {
    check(inputs.length >= n * this.inputSize, "TrainingSession.predict", () => `inputs hold fewer than ${n} samples`);
    const input = this.shaped.graph.inputs[0].name;
    const feeds: Record<string, ort.Tensor> = {
      [input]: new ort.Tensor("float32", inputs.subarray(0, n * this.inputSize), [n, ...this.inputShape]),
    };
    for (const s of this.weightSlots) feeds[s.name] = new ort.Tensor("float32", this.values.get(s.name)!, s.dims);
    const out = await this.evalSession.run(feeds, [this.output]);
    return out[this.output].data as Float32Array;
  }

  /** A copy of the state (see {@link TrainingState}). */
  getState(): TrainingState {
    const tensors = new Map<string, Float32Array>();
    for (const [k, v] of this.values) tensors.set(k, Float32Array.from(v));
    return { step: this.stepCount, tensors };
  }

  /** Restores a state from {@link getState} (copied); every tensor must be present with its size. */
  setState(state: TrainingState, where = "TrainingSession.setState"): void {
    for (const s of [...this.weightSlots, ...this.stateSlots]) {
      const v = state.tensors.get(s.name);
      check(v, where, () => `missing tensor "${s.name}"`);
      check(v.length === size(s.dims), where, () => `tensor "${s.name}" has ${v.length} values, expected ${size(s.dims)}`);
    }
    for (const s of [...this.weightSlots, ...this.stateSlots]) this.values.set(s.name, Float32Array.from(state.tensors.get(s.name)!));
    this.stepCount = state.step;
  }

  /** The inference model with the trained weights and running statistics (the input model otherwise unchanged). */
  exportModel(): Model {
    const out = cloneModel(this.model);
    for (const s of this.weightSlots) {
      const t = out.graph.initializers.get(s.name)!;
      out.graph.initializers.set(s.name, { ...t, data: Float32Array.from(this.values.get(s.name)!) });
    }
    return out;
  }

  /** Releases the onnxruntime sessions. */
  async release(): Promise<void> {
    for (const t of this.trainers.values()) await (await t).session.release();
    this.trainers.clear();
    await this.evalSession.release();
  }

  private build(batch: number) {
    return buildTrainingModel(withBatch(this.upgraded, batch), this.output, this.parameters, this.loss, this.optimizer, this.gradientRules);
  }

  private trainerFor(batch: number): Promise<Trainer> {
    let t = this.trainers.get(batch);
    if (!t) {
      t = (async () => {
        const built = this.build(batch);
        const session = await ort.InferenceSession.create(encodeModel(built.model), this.sessionOptions);
        return { ...built, session, input: this.model.graph.inputs[0].name };
      })();
      this.trainers.set(batch, t);
      // A failed build is not cached, so release() and later steps do not trip over it.
      t.catch(() => this.trainers.delete(batch));
    }
    return t;
  }
}

/** A training graph for one batch size, open in onnxruntime. */
interface Trainer {
  session: ort.InferenceSession;
  input: string;
  target: string;
  lr: string;
  t: string;
  loss: string;
  slots: TensorSlot[];
  masks: DropoutMaskInput[];
}

/** A copy of `model` with batch dimension `batch` on the input and outputs, and inferred shapes. */
function withBatch(model: Model, batch: Dim): Model {
  const m = cloneModel(model);
  m.graph.valueInfo.clear();
  const input = m.graph.inputs[0];
  check(input.shape && input.shape.length >= 2, `TrainingSession: input "${input.name}"`, () => "needs a known shape [N, ...]");
  input.shape = [batch, ...input.shape.slice(1)];
  for (const o of m.graph.outputs) if (o.shape) o.shape = [batch, ...o.shape.slice(1)];
  return annotateShapes(m);
}

/** Dims after the batch, which must all be known numbers. */
function staticTail(shape: Dim[], where: string): number[] {
  const tail = shape.slice(1);
  if (!tail.every((d): d is number => typeof d === "number" && d > 0)) {
    throw new InputError(where, `needs static non-batch dimensions, got [${shape.join(", ")}]`);
  }
  return tail;
}

function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * The training model: parameters, running statistics and optimizer state as
 * inputs; loss, updated parameters, statistics and state as outputs.
 */
function buildTrainingModel(
  shaped: Model,
  output: string,
  parameters: readonly string[],
  loss: Loss,
  optimizer: Optimizer,
  rules?: ReadonlyMap<string, GradientRule>,
) {
  // The loss goes on the inference graph first, so that shape inference sees
  // plain ops; the training rewrite then keeps those shapes.
  const withLoss = cloneModel(shaped);
  const lw = new GraphWriter(withLoss.graph, "train");
  const outShape = withLoss.graph.outputs.find((o) => o.name === output)?.shape ?? withLoss.graph.valueInfo.get(output)!.shape!;
  const target = lw.input(lw.fresh("target"), outShape);
  const lossName = loss.append(lw, output, target);
  withLoss.graph.valueInfo.clear();
  annotateShapes(withLoss);

  const rewritten = toTrainingGraph(withLoss.graph);
  const graph: Graph = rewritten.graph;
  const w = new GraphWriter(graph, "train");
  const slots: TensorSlot[] = [];
  const toInput = (name: string): number[] => {
    const t = graph.initializers.get(name) as Tensor;
    graph.initializers.delete(name);
    graph.inputs.push({ name, dataType: DataType.FLOAT, shape: [...t.dims] });
    return [...t.dims];
  };
  const paramDims = new Map(parameters.map((p) => [p, toInput(p)]));
  for (const [stat, updated] of rewritten.runningStatUpdates) {
    slots.push({ name: stat, dims: toInput(stat), updated });
  }

  const backward = buildBackward(graph, { loss: lossName, wrt: [...parameters], rules });
  graph.nodes.push(...backward.nodes);

  const lr = w.input(w.fresh("lr"), []);
  const t = w.input(w.fresh("t"), []);
  graph.outputs = [{ name: lossName, dataType: DataType.FLOAT, shape: [] }];
  for (const p of parameters) {
    const dims = paramDims.get(p)!;
    const state = optimizer.stateSlots.map((s) => w.input(`${p}#${s}`, dims));
    const upd = optimizer.append(w, { param: p, grad: backward.gradients.get(p)!, state }, lr, t);
    slots.push({ name: p, dims, updated: upd.param });
    state.forEach((s, i) => slots.push({ name: s, dims, updated: upd.state[i] }));
  }
  for (const s of slots) graph.outputs.push({ name: s.updated, dataType: DataType.FLOAT, shape: s.dims });
  // Other heads of a multi-output model are not trained and need not run; the
  // rewrite also leaves constants behind (e.g. a Dropout's ratio) that
  // onnxruntime would warn about.
  removeDeadNodes(graph);
  removeUnusedInitializers(graph);
  return {
    model: { ...withLoss, graph } as Model,
    target,
    lr,
    t,
    loss: lossName,
    slots,
    masks: rewritten.extraInputs,
  };
}

/** The inference model with `asInputs` initializers turned into graph inputs. */
function buildInferenceModel(shaped: Model, asInputs: string[]): Model {
  const m = cloneModel(shaped);
  for (const name of asInputs) {
    const t = m.graph.initializers.get(name)!;
    m.graph.initializers.delete(name);
    m.graph.inputs.push({ name, dataType: DataType.FLOAT, shape: [...t.dims] });
  }
  return m;
}
