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

/**
 * A seed list as people read it: runs of consecutive seeds as ranges, so a
 * rate goal's 114 seeds print as one line.
 *
 * @example formatSeeds([0, 1, 2, 3, 7]) // "0–3, 7"; formatSeeds([5]) // "5"; formatSeeds([1, 2]) // "1, 2"
 */
export function formatSeeds(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length;) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j]! + 1) j++;
    // Two consecutive seeds read better as a list than as a range.
    if (j - i >= 2) parts.push(`${seeds[i]}–${seeds[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(seeds[k]));
    i = j + 1;
  }
  return parts.join(", ");
}
