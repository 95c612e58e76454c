/** An unknown box of the search, in unit coordinates. */
export interface QueuedBox {
  lo: number[];
  hi: number[];
  volume: number;
  /** Insertion order: ties in volume go first-in, first-out, keeping the search deterministic. */
  order: number;
}

/** Max-heap of boxes by volume (ties: earlier first). */
export class BoxQueue {
  private readonly heap: QueuedBox[] = [];
  private counter = 0;

  /** Number of queued boxes. */
  get size(): number {
    return this.heap.length;
  }

  /** Queues the box [lo, hi] of the given volume. */
  push(lo: number[], hi: number[], volume: number): void {
    const heap = this.heap;
    heap.push({ lo, hi, volume, order: this.counter++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** Removes and returns the largest box; undefined when empty. */
  pop(): QueuedBox | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && before(heap[l], heap[best])) best = l;
        if (r < heap.length && before(heap[r], heap[best])) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best], heap[i]];
        i = best;
      }
    }
    return top;
  }
}

function before(a: QueuedBox, b: QueuedBox): boolean {
  return a.volume > b.volume || (a.volume === b.volume && a.order < b.order);
}
