/**
 * Volumes of unions of boxes in the unit cube, exact (no sampling). Used to
 * report how much of the budget space a set of evaluations classifies.
 */

/**
 * Volume of the union of the down-sets `[0, p]` of `points` (unit
 * coordinates, clamped to [0, 1]). Sweeps the last axis and recurses on the
 * cross-sections: O(n^(d−1) log n) for n points in d dimensions.
 */
export function downSetVolume(points: readonly (readonly number[])[], dims: number): number {
  const clamped = points.map((p) => p.map((v) => Math.min(1, Math.max(0, v))));
  return downSet(maximalPoints(clamped), dims);
}

/**
 * The points not dominated (≤ on every axis) by another point: only they
 * shape a union of down-sets. Duplicates keep one copy.
 */
export function maximalPoints<T extends readonly number[]>(points: readonly T[]): T[] {
  // A point can only be dominated by one with a larger or equal coordinate sum.
  const sorted = points.slice().sort((a, b) => sum(b) - sum(a));
  const kept: T[] = [];
  for (const p of sorted) {
    if (!kept.some((q) => p.every((v, i) => v <= q[i]))) kept.push(p);
  }
  return kept;
}

function sum(p: readonly number[]): number {
  let s = 0;
  for (const v of p) s += v;
  return s;
}

function downSet(points: number[][], dims: number): number {
  if (points.length === 0) return 0;
  if (dims === 1) {
    let m = 0;
    for (const p of points) m = Math.max(m, p[0]);
    return m;
  }
  const k = dims - 1;
  const sorted = points.slice().sort((a, b) => b[k] - a[k]);
  if (dims === 2) {
    // Staircase: sweep the second axis downwards, tracking the widest first coordinate.
    let area = 0;
    let width = 0;
    for (let i = 0; i < sorted.length; i++) {
      width = Math.max(width, sorted[i][0]);
      const next = i + 1 < sorted.length ? sorted[i + 1][1] : 0;
      area += width * (sorted[i][1] - next);
    }
    return area;
  }
  let vol = 0;
  const active: number[][] = [];
  for (let i = 0; i < sorted.length; i++) {
    active.push(sorted[i]);
    const next = i + 1 < sorted.length ? sorted[i + 1][k] : 0;
    const height = sorted[i][k] - next;
    if (height > 0) vol += height * downSet(active, k);
  }
  return vol;
}

/** An axis-aligned box `[lo, hi]`. */
export interface Box {
  lo: readonly number[];
  hi: readonly number[];
}

/**
 * Volume of the union of arbitrary boxes, by sweeping the last axis over the
 * box edges and recursing on cross-sections. Meant for a few boxes (it is
 * O(n^d)); see {@link downSetVolume} for the common case.
 */
export function unionVolume(boxes: readonly Box[], dims: number): number {
  const live = boxes.filter((b) => b.lo.every((v, i) => b.hi[i] > v));
  if (live.length === 0) return 0;
  const k = dims - 1;
  const edges = Array.from(new Set(live.flatMap((b) => [b.lo[k], b.hi[k]]))).sort((a, b) => a - b);
  let vol = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const z0 = edges[i];
    const z1 = edges[i + 1];
    const slab = live.filter((b) => b.lo[k] <= z0 && b.hi[k] >= z1);
    if (slab.length === 0) continue;
    vol += (z1 - z0) * (k === 0 ? 1 : unionVolume(slab, k));
  }
  return vol;
}
