import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { svd } from "../../../optimizer/approx/lowrank/svd.ts";
import { truncatedSvd } from "../../../optimizer/approx/lowrank/truncatedSvd.ts";

function randomMatrix(m: number, n: number, seed: number): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: m * n }, () => r.normal());
}

/** Max |U·diag(s)·Vᵀ − A| and max deviation of UᵀU, VᵀV from I over the first `rank` columns. */
function check(a: Float64Array, m: number, n: number, rank: number) {
  const d = svd(a, m, n);
  let recon = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let q = 0; q < d.k; q++) acc += d.u[i * d.k + q] * d.s[q] * d.v[j * d.k + q];
      recon = Math.max(recon, Math.abs(acc - a[i * n + j]));
    }
  }
  const ortho = (x: Float64Array, rows: number) => {
    let e = 0;
    for (let p = 0; p < rank; p++) {
      for (let q = 0; q < rank; q++) {
        let acc = 0;
        for (let i = 0; i < rows; i++) acc += x[i * d.k + p] * x[i * d.k + q];
        e = Math.max(e, Math.abs(acc - (p === q ? 1 : 0)));
      }
    }
    return e;
  };
  return { d, recon, orthoU: ortho(d.u, m), orthoV: ortho(d.v, n) };
}

describe("svd (one-sided Jacobi)", () => {
  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [24, 24],
    [40, 9],
    [1, 5],
    [6, 1],
  ] as const) {
    it(`decomposes a random ${m}×${n} matrix`, () => {
      const a = randomMatrix(m, n, m * 100 + n);
      const { d, recon, orthoU, orthoV } = check(a, m, n, Math.min(m, n));
      expect(d.k).toBe(Math.min(m, n));
      expect(recon).toBeLessThan(1e-12);
      expect(orthoU).toBeLessThan(1e-12);
      expect(orthoV).toBeLessThan(1e-12);
      for (let q = 1; q < d.k; q++) expect(d.s[q]).toBeLessThanOrEqual(d.s[q - 1]);
    });
  }

  it("recovers known singular values, including tiny ones, to relative accuracy", () => {
    // A = Q1·diag(σ)·Q2ᵀ with orthogonal Q1, Q2 from the SVDs of random matrices.
    const n = 8;
    const q1 = svd(randomMatrix(n, n, 1), n, n).u;
    const q2 = svd(randomMatrix(n, n, 2), n, n).v;
    const sigma = [1e3, 40, 7, 1, 0.3, 1e-2, 1e-5, 1e-9];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < n; q++) a[i * n + j] += q1[i * n + q] * sigma[q] * q2[j * n + q];
    const d = svd(a, n, n);
    // Entries of A carry a rounding error of ~1e-13 · σ_max, which bounds what any method can recover.
    sigma.forEach((s, q) => expect(Math.abs(d.s[q] - s)).toBeLessThan(1e-12 * 1e3 + 1e-9 * s));
    expect(Math.abs(d.s[2] - 7) / 7).toBeLessThan(1e-13);
  });

  it("handles rank-deficient and zero matrices exactly", () => {
    const m = 6;
    const n = 5;
    const x = randomMatrix(m, 2, 3);
    const y = randomMatrix(2, n, 4);
    const a = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[i * n + j] = x[i * 2] * y[j] + x[i * 2 + 1] * y[n + j];
    const { d, recon, orthoU } = check(a, m, n, 2);
    expect(recon).toBeLessThan(1e-12);
    expect(orthoU).toBeLessThan(1e-12);
    expect(d.s[2]).toBeLessThan(1e-12 * d.s[0]);
    const z = svd(new Float64Array(12), 3, 4);
    expect(Array.from(z.s)).toEqual([0, 0, 0]);
  });

  it("truncated (randomized) SVD finds the leading triplets of a decaying spectrum, deterministically", () => {
    const m = 90;
    const n = 60;
    const q1 = svd(randomMatrix(m, n, 8), m, n).u; // m×n orthonormal columns
    const q2 = svd(randomMatrix(n, n, 9), n, n).v;
    const sigma = Array.from({ length: n }, (_, i) => 0.8 ** i);
    const a = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let q = 0; q < n; q++) a[i * n + j] += q1[i * n + q] * sigma[q] * q2[j * n + q];
    const r = 8;
    const t = truncatedSvd(a, m, n, r);
    expect(t.k).toBe(r + 10);
    for (let q = 0; q < r; q++) expect(Math.abs(t.s[q] - sigma[q]) / sigma[q]).toBeLessThan(1e-6);
    // Rank-r reconstruction error equals the optimal one (the tail's Frobenius norm).
    let err = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let q = 0; q < r; q++) acc += t.u[i * t.k + q] * t.s[q] * t.v[j * t.k + q];
        err += (acc - a[i * n + j]) ** 2;
      }
    }
    const optimal = Math.sqrt(sigma.slice(r).reduce((s2, x) => s2 + x * x, 0));
    expect(Math.sqrt(err)).toBeLessThan(optimal * (1 + 1e-6));
    expect(Array.from(truncatedSvd(a, m, n, r).s)).toEqual(Array.from(t.s));
  });
});
