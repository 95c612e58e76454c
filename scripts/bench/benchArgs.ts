/**
 * What every benchmark script shares: its command-line flags (`--json <file>`
 * and numeric options) and the median of repeated measurements.
 */

const args = process.argv.slice(2);

/** The value after `--name`, or undefined when the flag is absent. @throws when the flag has no value. */
export function flag(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (i + 1 >= args.length || args[i + 1].startsWith("--")) throw new Error(`${name} needs a value`);
  return args[i + 1];
}

/** A positive-integer flag with a default. @throws naming the flag when the value is not one. */
export function intFlag(name: string, fallback: number): number {
  const v = Number(flag(name) ?? fallback);
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${name} needs a positive integer, got ${flag(name)}`);
  return v;
}

/** `--json <file>`: where the flat metrics object goes, if anywhere. */
export const jsonFile = flag("--json");

/** Median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** True when the boolean flag `--name` is given. */
export function hasFlag(name: string): boolean {
  return args.includes(name);
}
