/**
 * The project's one seed convention: K seeds are `first, first+1, …,
 * first+K−1`, and `first` is 0 unless said otherwise, so "5 seeds" means
 * seeds 0–4 everywhere (CLI flags, config counts, benchmarks).
 *
 * @param count how many seeds (a non-negative integer)
 * @param first the first seed. @default 0
 * @example seedRange(3) // [0, 1, 2]; seedRange(3, 10) // [10, 11, 12]
 */
export function seedRange(count: number, first = 0): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`seedRange: count must be a non-negative integer, got ${count}`);
  if (!Number.isSafeInteger(first)) throw new RangeError(`seedRange: first must be an integer, got ${first}`);
  return Array.from({ length: count }, (_, k) => first + k);
}
