import { cloneModel } from "../../onnx/cloneModel.ts";
import type { Dim, Model, Node, Tensor } from "../../onnx/ir.ts";
import { topologicalSort } from "../../onnx/topologicalSort.ts";
import { bypassConstantAliases, collectConstants } from "../constantAliases.ts";
import type { ChannelEdge } from "./ChannelEdge.ts";
import type { ChannelNode } from "./ChannelNode.ts";
import type { ChannelSpace } from "./ChannelSpace.ts";
import { PruningGroup, type GroupMember, type GroupSlot } from "./PruningGroup.ts";
import type { AnalysisContext, EditContext, PruningRule, RuleView } from "./PruningRule.ts";
import { defaultRules } from "./rules/defaultRules.ts";

/** Options for {@link DependencyGraph.build}. */
export interface DependencyGraphOptions {
  /** Rules by op type; they take precedence over the default registry. */
  rules?: Record<string, PruningRule>;
  /**
   * Prune the channels of graph outputs too, so the output shape changes
   * (for example a 1000-class classifier keeps 500 classes). This is what
   * Torch-Pruning does to every layer not in its `ignored_layers`, and so
   * what its torchvision benchmark does to SqueezeNet's conv classifier;
   * an application reading the outputs needs the default. @default false
   */
  pruneGraphOutputs?: boolean;
}

/** The result of {@link DependencyGraph.prune}. */
export interface PruneResult {
  /** The pruned copy of the model (the analysed model is not modified). */
  model: Model;
  /** Channels removed per pruned value, by value name. */
  removed: Map<string, number>;
}

/**
 * The channel dependency graph of an ONNX model: which channels of which
 * tensors are coupled, grouped into {@link PruningGroup}s that can be removed
 * together while keeping the graph valid.
 *
 * Built by running one {@link PruningRule} per node (default registry,
 * overridden by user rules) in topological order. Channels of graph inputs
 * are never pruned, nor those of graph outputs unless
 * {@link DependencyGraphOptions.pruneGraphOutputs} says so; a node whose op has no rule freezes the
 * channels it reads (listed in {@link warnings}) so its neighbours are left
 * untouched rather than broken.
 *
 * @example
 * const dg = DependencyGraph.build(model);
 * const g = dg.groups().find((g) => g.prunable)!;
 * const { model: smaller } = dg.prune(new Map([[g, Int32Array.of(0, 1)]]));
 */
export class DependencyGraph {
  /** The channel spaces, indexed by `id`. */
  readonly spaces: ChannelSpace[] = [];
  /** Nodes in topological order. */
  readonly nodes: ChannelNode[] = [];
  /** Couplings declared by the rules. */
  readonly edges: ChannelEdge[] = [];
  /** Why parts of the graph are left unpruned (unsupported ops and structures), one line each. */
  readonly warnings: string[] = [];

  private readonly spaceOf = new Map<string, ChannelSpace>();
  private readonly frozenReason = new Map<number, string>();
  private universe = 0;
  private parent = new Int32Array(0);
  private groupCache: PruningGroup[] | undefined;
  private constants: Map<string, Tensor> | undefined;

  private constructor(
    readonly model: Model,
    private readonly rules: Map<string, PruningRule>,
    private readonly pruneGraphOutputs: boolean,
  ) {}

  /** Analyses `model` (not modified; keep it unchanged while the graph is in use). */
  static build(model: Model, opts: DependencyGraphOptions = {}): DependencyGraph {
    const rules = defaultRules();
    for (const [op, rule] of Object.entries(opts.rules ?? {})) rules.set(op, rule);
    const dg = new DependencyGraph(model, rules, opts.pruneGraphOutputs ?? false);
    dg.analyse();
    return dg;
  }

  /** The channel space of value `name`, if it has one. */
  space(name: string): ChannelSpace | undefined {
    return this.spaceOf.get(name);
  }

  /** The groups of coupled channels, in order of their first space. */
  groups(): PruningGroup[] {
    this.groupCache ??= this.buildGroups();
    return this.groupCache;
  }

  /**
   * Removes group channels and returns a pruned copy of the model.
   *
   * @param removals for each group, the group channels to remove (any order).
   * @throws Error if a group is frozen, an index is out of range, or every
   *   channel of a group would be removed.
   */
  prune(removals: ReadonlyMap<PruningGroup, ArrayLike<number>>): PruneResult {
    const removedEl = new Uint8Array(this.universe);
    for (const [g, chans] of removals) {
      if (chans.length === 0) continue;
      if (!g.prunable) throw new Error(`cannot prune group ${g.describe()}: ${g.frozenReason}`);
      if (new Set(Array.from(chans)).size >= g.size) throw new Error(`cannot remove every channel of group ${g.describe()}`);
      for (let i = 0; i < chans.length; i++) {
        const j = chans[i];
        if (!Number.isInteger(j) || j < 0 || j >= g.size) throw new Error(`channel ${j} out of range for group ${g.describe()}`);
        for (const slot of g.slots) {
          for (let k = slot.starts[j]; k < slot.starts[j + 1]; k++) removedEl[slot.space.offset + slot.indices[k]] = 1;
        }
      }
    }
    const keep = new Map<number, Int32Array>();
    const removed = new Map<string, number>();
    for (const s of this.spaces) {
      let n = 0;
      for (let i = 0; i < s.size; i++) n += removedEl[s.offset + i];
      if (n === 0) continue;
      const k = new Int32Array(s.size - n);
      for (let i = 0, w = 0; i < s.size; i++) if (!removedEl[s.offset + i]) k[w++] = i;
      keep.set(s.id, k);
      removed.set(s.value, n);
    }
    const model = cloneModel(this.model);
    const nodeAt = [...model.graph.nodes];
    bypassConstantAliases(model.graph);
    const editor = new GraphEditor(model);
    for (const cn of this.nodes) {
      if (!cn.rule) continue;
      const node = nodeAt[cn.index];
      const ctx = editor.context(node, cn, keep);
      cn.inputs.forEach((s, port) => {
        const k = s && keep.get(s.id);
        if (k) cn.rule!.pruneIn?.(ctx, port, k);
      });
      cn.outputs.forEach((s, port) => {
        const k = s && keep.get(s.id);
        if (k) cn.rule!.pruneOut?.(ctx, port, k);
      });
    }
    const outputs = new Map(model.graph.outputs.map((v) => [v.name, v]));
    for (const s of this.spaces) {
      const k = keep.get(s.id);
      if (!k) continue;
      for (const vi of [model.graph.valueInfo.get(s.value), outputs.get(s.value)]) {
        if (vi?.shape && vi.shape.length === s.rank) vi.shape[s.axis] = k.length;
      }
    }
    editor.dropUnused();
    return { model, removed };
  }

  // ---- analysis ----------------------------------------------------------

  private analyse(): void {
    const graph = this.model.graph;
    const opset = this.model.opsets[""] ?? this.model.opsets["ai.onnx"] ?? 18;
    const constants = collectConstants(graph);
    const consumers = new Map<string, Node[]>();
    const producers = new Map<string, Node>();
    for (const n of graph.nodes) {
      for (const i of n.inputs) if (i) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
      for (const o of n.outputs) if (o) producers.set(o, n);
    }
    const shapes = new Map<string, Dim[]>();
    for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo.values()]) if (v.shape) shapes.set(v.name, v.shape);

    const pendingEdges: ChannelEdge[] = [];
    const freezes: { space: ChannelSpace; reason: string }[] = [];
    const addSpace = (value: string, size: number, rank: number, axis: number): ChannelSpace => {
      const s: ChannelSpace = { id: this.spaces.length, value, size, rank, axis, offset: this.universe };
      this.universe += size;
      this.spaces.push(s);
      this.spaceOf.set(value, s);
      return s;
    };

    for (const v of graph.inputs) {
      const c = v.shape?.[1];
      if (v.shape && v.shape.length >= 2 && typeof c === "number" && c > 0) {
        freezes.push({ space: addSpace(v.name, c, v.shape.length, 1), reason: `graph input "${v.name}"` });
      }
    }

    const index = new Map<Node, number>();
    graph.nodes.forEach((n, i) => index.set(n, i));
    for (const node of topologicalSort(graph)) {
      const inputs = node.inputs.map((i) => (i ? (this.spaceOf.get(i) ?? null) : null));
      const outputs: (ChannelSpace | null)[] = node.outputs.map(() => null);
      const rule = node.domain === "" || node.domain === "ai.onnx" ? this.rules.get(node.opType) : undefined;
      const touches = inputs.some((s) => s !== null);
      const where = `node "${node.name}" (${node.opType})`;
      if (!rule) {
        if (touches) {
          const reason = `${where} has no pruning rule`;
          for (const s of inputs) if (s) freezes.push({ space: s, reason });
        }
        this.nodes.push({ index: index.get(node)!, node, rule: undefined, inputs, outputs });
        continue;
      }
      const constant = (port: number): Tensor | undefined => (node.inputs[port] ? constants.get(node.inputs[port]) : undefined);
      const ctx: AnalysisContext = {
        node,
        opset,
        constant,
        input: (port) => inputs[port] ?? null,
        constantValue: (name) => constants.get(name),
        shape: (value) => shapes.get(value),
        consumers: (value) => consumers.get(value) ?? [],
        producer: (value) => producers.get(value),
        output: (port, size, rank, axis) => {
          const name = node.outputs[port];
          if (!name) throw new Error(`${where}: rule declared a space for missing output ${port}`);
          if (!(Number.isInteger(size) && size > 0)) throw new Error(`${where}: rule declared ${size} channels for "${name}"`);
          const s = addSpace(name, size, rank, axis);
          outputs[port] = s;
          return s;
        },
        couple: (from, fromOffset, to, toOffset, length, fanOut = 1) => {
          if (fromOffset + length > from.size || toOffset + length * fanOut > to.size) {
            throw new Error(`${where}: coupling out of range between "${from.value}" and "${to.value}"`);
          }
          pendingEdges.push({ from, fromOffset, to, toOffset, length, fanOut, nodeName: node.name });
        },
        identity: (from, to) => {
          if (from.size !== to.size) throw new Error(`${where}: identity coupling of ${from.size} and ${to.size} channels`);
          pendingEdges.push({ from, fromOffset: 0, to, toOffset: 0, length: from.size, fanOut: 1, nodeName: node.name });
        },
        freeze: (space, reason) => {
          if (space) freezes.push({ space, reason: `${where}: ${reason}` });
        },
      };
      rule.channels(ctx);
      this.nodes.push({ index: index.get(node)!, node, rule, inputs, outputs });
    }
    for (const v of this.pruneGraphOutputs ? [] : graph.outputs) {
      const s = this.spaceOf.get(v.name);
      if (s) freezes.push({ space: s, reason: `graph output "${v.name}"` });
    }

    this.parent = new Int32Array(this.universe);
    for (let i = 0; i < this.universe; i++) this.parent[i] = i;
    for (const e of pendingEdges) {
      this.edges.push(e);
      for (let i = 0; i < e.length; i++) {
        const a = e.from.offset + e.fromOffset + i;
        for (let j = 0; j < e.fanOut; j++) this.union(a, e.to.offset + e.toOffset + i * e.fanOut + j);
      }
    }
    const seen = new Set<string>();
    for (const { space, reason } of freezes) {
      if (!this.frozenReason.has(space.id)) this.frozenReason.set(space.id, reason);
      // Graph inputs/outputs are frozen by design; only structural limits are worth a warning.
      if (!reason.startsWith("graph ") && !seen.has(reason)) {
        seen.add(reason);
        this.warnings.push(`${reason}; channels of "${space.value}" and everything coupled to them are left unpruned`);
      }
    }
  }

  private find(a: number): number {
    const p = this.parent;
    while (p[a] !== a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  private buildGroups(): PruningGroup[] {
    const u = this.universe;
    const spaceOfEl = new Int32Array(u);
    for (const s of this.spaces) spaceOfEl.fill(s.id, s.offset, s.offset + s.size);
    // Components (one per group channel) in order of their smallest element.
    const compOfRoot = new Int32Array(u).fill(-1);
    const compElements: number[][] = [];
    for (let e = 0; e < u; e++) {
      const r = this.find(e);
      let c = compOfRoot[r];
      if (c < 0) {
        c = compElements.length;
        compOfRoot[r] = c;
        compElements.push([]);
      }
      compElements[c].push(e);
    }
    // Components touching the same spaces are the channels of one group.
    const byKey = new Map<string, number[]>();
    for (let c = 0; c < compElements.length; c++) {
      const ids = [...new Set(compElements[c].map((e) => spaceOfEl[e]))].sort((a, b) => a - b);
      const key = ids.join(",");
      (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(c);
    }
    const groups: PruningGroup[] = [];
    for (const [key, comps] of byKey) {
      const spaceIds = key.split(",").map(Number);
      const slots: GroupSlot[] = spaceIds.map((sid) => {
        const space = this.spaces[sid];
        const starts = new Int32Array(comps.length + 1);
        const indices: number[] = [];
        comps.forEach((c, j) => {
          for (const e of compElements[c]) if (spaceOfEl[e] === sid) indices.push(e - space.offset);
          starts[j + 1] = indices.length;
        });
        return { space, starts, indices: Int32Array.from(indices) };
      });
      let frozen: string | undefined;
      for (const sid of spaceIds) frozen ??= this.frozenReason.get(sid);
      const members: GroupMember[] = [];
      const slotOf = new Map(spaceIds.map((sid, i) => [sid, i]));
      for (const cn of this.nodes) {
        cn.inputs.forEach((s, port) => {
          if (s && slotOf.has(s.id)) members.push({ node: cn, side: "in", port, slot: slotOf.get(s.id)! });
        });
        cn.outputs.forEach((s, port) => {
          if (s && slotOf.has(s.id)) members.push({ node: cn, side: "out", port, slot: slotOf.get(s.id)! });
        });
      }
      groups.push(new PruningGroup(groups.length, comps.length, slots, members, frozen));
    }
    return groups;
  }

  /** The rule view of a node of the analysed model (for importance criteria). */
  view(cn: ChannelNode): RuleView {
    this.constants ??= collectConstants(this.model.graph);
    const constants = this.constants;
    return {
      node: cn.node,
      opset: this.model.opsets[""] ?? 18,
      constant: (port) => (cn.node.inputs[port] ? constants.get(cn.node.inputs[port]) : undefined),
    };
  }
}

/**
 * Applies rule edits to a model copy, keeping constants' readers consistent.
 * A constant read by several nodes (PyTorch's exporter deduplicates identical
 * initializers) is un-shared only as far as the edits differ: each reader
 * that needs a different slice gets its own copy, readers whose edits agree
 * share one, and a copy all readers agree on takes the original's name.
 */
class GraphEditor {
  private readonly readers = new Map<string, number>();
  private readonly constantNode = new Map<string, Node>();
  private readonly replaced = new Set<string>();
  /** Edited copies of shared constants, by the original's name. */
  private readonly variants = new Map<string, string[]>();
  private readonly opset: number;

  constructor(private readonly model: Model) {
    const g = model.graph;
    this.opset = model.opsets[""] ?? 18;
    for (const n of g.nodes) {
      for (const i of n.inputs) if (i) this.readers.set(i, (this.readers.get(i) ?? 0) + 1);
      if (n.opType === "Constant" && n.outputs[0]) this.constantNode.set(n.outputs[0], n);
    }
    for (const o of g.outputs) this.readers.set(o.name, (this.readers.get(o.name) ?? 0) + 1);
  }

  context(node: Node, cn: ChannelNode, keep: Map<number, Int32Array>): EditContext {
    const g = this.model.graph;
    const constant = (port: number): Tensor | undefined => {
      const name = node.inputs[port];
      if (!name) return undefined;
      const init = g.initializers.get(name);
      if (init) return init;
      const v = this.constantNode.get(name)?.attributes.value;
      return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
    };
    return {
      node,
      opset: this.opset,
      graph: g,
      constant,
      space: (side, port) => (side === "in" ? cn.inputs[port] : cn.outputs[port]) ?? null,
      newSize: (side, port) => {
        const s = side === "in" ? cn.inputs[port] : cn.outputs[port];
        if (!s) return null;
        return keep.get(s.id)?.length ?? s.size;
      },
      setConstant: (port, tensor) => {
        const name = node.inputs[port];
        if (name && (this.readers.get(name) ?? 0) === 1 && !this.variants.has(name)) {
          const cnode = this.constantNode.get(name);
          if (cnode) cnode.attributes.value = { ...tensor, name: "" };
          else g.initializers.set(name, { ...tensor, name });
          return;
        }
        const same = name ? this.variants.get(name)?.find((v) => sameTensor(g.initializers.get(v), tensor)) : undefined;
        let fresh = same;
        if (!fresh) {
          fresh = `${name || node.name}__${node.name}`;
          for (let k = 1; g.initializers.has(fresh) || this.readers.has(fresh); k++) fresh = `${name || node.name}__${node.name}_${k}`;
          g.initializers.set(fresh, { ...tensor, name: fresh });
          if (name) (this.variants.get(name) ?? this.variants.set(name, []).get(name)!).push(fresh);
        }
        if (name) {
          this.readers.set(name, (this.readers.get(name) ?? 1) - 1);
          this.replaced.add(name);
        }
        while (node.inputs.length <= port) node.inputs.push("");
        node.inputs[port] = fresh;
        this.readers.set(fresh, (this.readers.get(fresh) ?? 0) + 1);
      },
    };
  }

  /** Removes constants that edits left without readers; a sole surviving copy takes back the original's name. */
  dropUnused(): void {
    const g = this.model.graph;
    for (const name of this.replaced) {
      if ((this.readers.get(name) ?? 0) > 0) continue;
      const cnode = this.constantNode.get(name);
      const copies = this.variants.get(name) ?? [];
      if (copies.length === 1) {
        const copy = g.initializers.get(copies[0])!;
        g.initializers.delete(copies[0]);
        if (cnode) cnode.attributes.value = { ...copy, name: "" };
        else g.initializers.set(name, { ...copy, name });
        for (const n of g.nodes) for (let i = 0; i < n.inputs.length; i++) if (n.inputs[i] === copies[0]) n.inputs[i] = name;
        continue;
      }
      g.initializers.delete(name);
      if (cnode) g.nodes.splice(g.nodes.indexOf(cnode), 1);
    }
  }
}

/** True when `a` holds the same type, shape and values as `b`. */
function sameTensor(a: Tensor | undefined, b: Tensor): boolean {
  if (!a || a.dataType !== b.dataType || a.dims.length !== b.dims.length || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.dims.length; i++) if (a.dims[i] !== b.dims[i]) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}
