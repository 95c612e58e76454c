import { check } from "../../common/index.ts";
import type { LabeledDataset } from "./LabeledDataset.ts";
import type { MetricDirection, MetricFunction } from "./MetricFunction.ts";
import type { ModelRunner } from "./ModelRunner.ts";
import { predictDataset } from "./predictDataset.ts";

/** Options of {@link ErrorMetric}. */
export interface ErrorMetricOptions {
  /** Display name and calibration-axis name. @default `${model.name}.${fn.metricName}` */
  name?: string;
  /** Overrides the function's direction (for a custom metric). @default fn.direction */
  direction?: MetricDirection;
  /** Use only this output column of the model's N×k predictions. @default all outputs */
  output?: number;
  /**
   * Label column (index, or name in `dataset.labelNames`) paired with the
   * predictions. @default the column named `model.name` if the dataset names
   * its columns and has one, otherwise all label columns
   */
  label?: number | string;
  /** Samples per inference call in {@link ErrorMetric.evaluateOn}. @default 32 */
  batchSize?: number;
}

/** Predictions paired with their labels, as a metric sees them. */
export interface MetricPairs {
  predictions: Float32Array;
  labels: Float32Array;
  /** Number of samples N. */
  count: number;
}

/**
 * One NN's error metric: a {@link MetricFunction} bound to a model and to the
 * output/label columns it compares. One metric is one calibration axis.
 *
 * @example
 * const m = new ErrorMetric(heading, l1Error);            // column "heading" if the dataset names it
 * const value = await m.evaluateOn(pruned, dataset);      // same metric on an approximated candidate
 */
export class ErrorMetric {
  /** The NN whose error this measures (its `name` keys the error family). */
  readonly model: ModelRunner;
  /** The metric function. */
  readonly fn: MetricFunction;
  /** Axis name, e.g. `heading.l1Error`. */
  readonly name: string;
  /** Which way the metric improves. */
  readonly direction: MetricDirection;
  private readonly output: number | undefined;
  private readonly label: number | string | undefined;
  private readonly batchSize: number;

  constructor(model: ModelRunner, fn: MetricFunction, options: ErrorMetricOptions = {}) {
    this.model = model;
    this.fn = fn;
    this.name = options.name ?? `${model.name}.${fn.metricName}`;
    this.direction = options.direction ?? fn.direction;
    check(
      this.direction === "lower-better" || this.direction === "higher-better",
      `metric ${this.name}`,
      () => `direction must be "lower-better" or "higher-better", got ${String(this.direction)}`,
    );
    check(
      options.output === undefined || (Number.isInteger(options.output) && options.output >= 0),
      `metric ${this.name}`,
      () => `output must be a column index, got ${options.output}`,
    );
    this.output = options.output;
    this.label = options.label;
    this.batchSize = options.batchSize ?? 32;
  }

  /** The metric function's identifier, e.g. `l1Error` (what error families record). */
  get metricName(): string {
    return this.fn.metricName;
  }

  /**
   * The metric on predictions already computed. With an `output` or a
   * numeric `label` column configured, `count` (N) is required to split the
   * rows; `label` given by name needs {@link evaluateOn}.
   */
  evaluate(predictions: Float32Array, labels: Float32Array, count?: number): number {
    const p = this.output === undefined ? predictions : this.column(predictions, this.output, count, "output");
    let y = labels;
    if (this.label !== undefined) {
      check(
        typeof this.label === "number",
        `metric ${this.name}`,
        () => `label "${String(this.label)}" is a column name; use evaluateOn(runner, dataset) so the dataset can resolve it`,
      );
      y = this.column(labels, this.label, count, "label");
    }
    return this.fn(p, y, count);
  }

  /** Runs `runner` (this metric's model or an approximation of it) on `dataset` and evaluates the metric. */
  async evaluateOn(runner: ModelRunner, dataset: LabeledDataset): Promise<number> {
    const pairs = await this.pairsOn(runner, dataset);
    return this.fn(pairs.predictions, pairs.labels, pairs.count);
  }

  /** The predictions of `runner` on `dataset` and the labels they are compared with, columns selected. */
  async pairsOn(runner: ModelRunner, dataset: LabeledDataset): Promise<MetricPairs> {
    const raw = await predictDataset(runner, dataset, this.batchSize);
    const n = dataset.size;
    const predictions = this.output === undefined ? raw : this.column(raw, this.output, n, "output");
    const labelColumn = this.resolveLabel(dataset);
    const labels = labelColumn === undefined ? dataset.labels : this.column(dataset.labels, labelColumn, n, "label");
    return { predictions, labels, count: n };
  }

  private resolveLabel(dataset: LabeledDataset): number | undefined {
    const names = dataset.labelNames;
    if (typeof this.label === "number") return this.label;
    if (typeof this.label === "string") {
      const index = names?.indexOf(this.label) ?? -1;
      check(index >= 0, `metric ${this.name}`, () => `label column "${this.label}" not in dataset.labelNames (${names?.join(", ") ?? "none"})`);
      return index;
    }
    const index = names?.indexOf(this.model.name) ?? -1;
    return index >= 0 ? index : undefined;
  }

  private column(values: Float32Array, column: number, count: number | undefined, what: string): Float32Array {
    check(count !== undefined && count > 0, `metric ${this.name}`, () => `selecting the ${what} column needs the sample count`);
    check(values.length % count === 0, `metric ${this.name}`, () => `${values.length} ${what} values do not split into ${count} samples`);
    const width = values.length / count;
    check(column < width, `metric ${this.name}`, () => `${what} column ${column} out of range (width ${width})`);
    if (width === 1) return values;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = values[i * width + column];
    return out;
  }
}
