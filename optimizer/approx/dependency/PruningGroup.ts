import type { ChannelNode } from "./ChannelNode.ts";
import type { ChannelSpace } from "./ChannelSpace.ts";

/**
 * Where one group channel lives in one member space: group channel `j` is
 * the space's channels `indices[starts[j] … starts[j+1])` (one channel for
 * most ops, H·W features after a Flatten, m channels after a depthwise conv
 * with multiplier m).
 */
export interface GroupSlot {
  readonly space: ChannelSpace;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
}

/** A node whose weights index a member space (the producer's output side or a consumer's input side). */
export interface GroupMember {
  readonly node: ChannelNode;
  readonly side: "in" | "out";
  readonly port: number;
  /** Index into {@link PruningGroup.slots} of the space this port reads or writes. */
  readonly slot: number;
}

/**
 * Channels that must be pruned together: group channel `j` stands for one
 * channel in every coupled space (e.g. the j-th filter of every conv feeding a
 * residual `Add`, the matching BatchNorm entries and the j-th input channel of
 * every consumer). Removing a group channel removes it everywhere at once.
 */
export class PruningGroup {
  /**
   * @param id index of the group in the graph's group list.
   * @param size number of group channels.
   * @param slots where each group channel lives in each member space.
   * @param members nodes whose weights index the member spaces.
   * @param frozenReason why the group cannot be pruned (graph input/output, unsupported op...), if so.
   */
  constructor(
    readonly id: number,
    readonly size: number,
    readonly slots: readonly GroupSlot[],
    readonly members: readonly GroupMember[],
    readonly frozenReason: string | undefined,
  ) {}

  /** True when the group may be pruned. */
  get prunable(): boolean {
    return this.frozenReason === undefined;
  }

  /**
   * A name stable across pruning steps: the member values' names. Pruning
   * never renames values, so the same group in a pruned model has the same key.
   */
  get key(): string {
    return this.slots.map((s) => s.space.value).join("|");
  }

  /** A short description for warnings and reports, e.g. `64 ch: conv1_out, add_3`. */
  describe(): string {
    const names = this.slots.map((s) => s.space.value);
    const shown = names.length > 4 ? [...names.slice(0, 4), `… (${names.length} values)`] : names;
    return `${this.size} ch: ${shown.join(", ")}`;
  }
}
