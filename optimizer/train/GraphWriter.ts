import { DataType, type AttributeValue, type Dim, type Graph } from "../onnx/ir.ts";

/**
 * Appends nodes, constants and inputs to a {@link Graph} under fresh,
 * collision-free names. Losses and optimizers use it to grow the training
 * graph without knowing the names already in it.
 */
export class GraphWriter {
  private readonly used = new Set<string>();
  /** Names handed out by {@link fresh} and not yet claimed by {@link input}. */
  private readonly reserved = new Set<string>();
  private readonly scalars = new Map<number, string>();

  /** @param prefix prepended to every generated name, e.g. `loss` or `sgd`. */
  constructor(
    readonly graph: Graph,
    private readonly prefix: string,
  ) {
    for (const n of graph.nodes) {
      this.used.add(n.name);
      for (const o of n.outputs) this.used.add(o);
    }
    for (const v of graph.inputs) this.used.add(v.name);
    for (const v of graph.outputs) this.used.add(v.name);
    for (const k of graph.initializers.keys()) this.used.add(k);
  }

  /** A name not yet used in the graph, `<prefix>/<base>` or with a numeric suffix. */
  fresh(base: string): string {
    const stem = `${this.prefix}/${base}`;
    let name = stem;
    for (let k = 1; this.used.has(name); k++) name = `${stem}_${k}`;
    this.used.add(name);
    this.reserved.add(name);
    return name;
  }

  /**
   * Appends a single-output node and returns its output name.
   * @param shape the output's shape, recorded in `valueInfo` when given.
   */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, shape?: Dim[]): string {
    const out = this.fresh(opType);
    this.graph.nodes.push({ name: out, opType, domain: "", inputs, outputs: [out], attributes });
    if (shape) this.graph.valueInfo.set(out, { name: out, dataType: DataType.FLOAT, shape });
    return out;
  }

  /** A float32 scalar constant (an initializer, shared per value). */
  scalar(value: number): string {
    const f = Math.fround(value);
    let name = this.scalars.get(f);
    if (!name) {
      name = this.fresh(`c${f}`);
      this.graph.initializers.set(name, { name, dataType: DataType.FLOAT, dims: [], data: new Float32Array([f]) });
      this.scalars.set(f, name);
    }
    return name;
  }

  /** An int64 1-D constant (axes, shapes). */
  int64s(values: number[]): string {
    const name = this.fresh("i64");
    this.graph.initializers.set(name, {
      name,
      dataType: DataType.INT64,
      dims: [values.length],
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    });
    return name;
  }

  /** Declares a float32 graph input and returns its name (used as given: a {@link fresh} name or an unused one). */
  input(name: string, shape: Dim[]): string {
    if (this.used.has(name) && !this.reserved.delete(name)) {
      throw new Error(`GraphWriter: "${name}" is already a value of graph "${this.graph.name}"`);
    }
    this.used.add(name);
    this.graph.inputs.push({ name, dataType: DataType.FLOAT, shape: [...shape] });
    return name;
  }

  /** Declares `value` a graph output (float32). */
  output(value: string, shape?: Dim[]): void {
    this.graph.outputs.push({ name: value, dataType: DataType.FLOAT, shape });
  }
}
