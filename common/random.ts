/**
 * Seeded pseudo-random numbers (sfc32), the only source of randomness in a run.
 *
 * One run seed drives everything; each consumer takes its own stream with
 * {@link Random.fork} so that, for example, adding a sensor does not change the
 * world the generator builds. Same seed and label give the same sequence, bit
 * for bit, on every platform (only 32-bit integer math is used).
 *
 * @example
 * const rng = new Random(42);
 * const worldRng = rng.fork("world");
 * const x = worldRng.uniform(-1, 1);
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = 0;
  private hasSpare = false;

  /** @param seed any finite number; non-integers are hashed by their string form. */
  constructor(seed: number | string) {
    const h = hashString(typeof seed === "number" && Number.isInteger(seed) ? `n${seed}` : String(seed));
    this.a = h[0];
    this.b = h[1];
    this.c = h[2];
    this.d = h[3];
    // Warm up so that nearby seeds decorrelate.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent stream derived from this one's seed state and `label`. */
  fork(label: string): Random {
    return new Random(`${this.a >>> 0}:${this.b >>> 0}:${this.c >>> 0}:${this.d >>> 0}/${label}`);
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Gaussian with the given mean and standard deviation (Box–Muller, pairs cached). */
  normal(mean = 0, std = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + std * this.spareNormal;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Student-t with `nu` degrees of freedom (heavy tails), scaled by `scale`. */
  studentT(nu: number, scale = 1): number {
    let chi2 = 0;
    // Integer nu keeps it exact and deterministic; fractional nu is rounded up.
    const k = Math.max(1, Math.ceil(nu));
    for (let i = 0; i < k; i++) {
      const z = this.normal();
      chi2 += z * z;
    }
    return (scale * this.normal()) / Math.sqrt(chi2 / k);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** cyrb128: four 32-bit words from a string, to seed sfc32. */
function hashString(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
