import { check } from "../../common/index.ts";

/** JSON form of a {@link PolynomialFit}. */
export interface PolynomialFitJSON {
  /** c0 + c1·x + c2·x², lowest order first. */
  coefficients: number[];
  /** Measured range of x; outside it the fit continues linearly. */
  xMin: number;
  xMax: number;
  /** Coefficient of determination on the fitted points (1 = exact). */
  r2: number;
  /** Number of points fitted. */
  n: number;
}

/**
 * A least-squares polynomial y(x) of degree 0–2, reported with its R².
 *
 * Beyond the measured x range the curve continues along its tangent at the
 * nearest end: calibration asks for error levels past the ones the
 * approximations produced, and a quadratic extrapolated far out can turn
 * around or explode.
 */
export class PolynomialFit {
  /** c0 + c1·x + c2·x², lowest order first. */
  readonly coefficients: readonly number[];
  /** Lower end of the fitted x range. */
  readonly xMin: number;
  /** Upper end of the fitted x range. */
  readonly xMax: number;
  /** Coefficient of determination on the fitted points (1 = exact; 1 for constant data fitted exactly). */
  readonly r2: number;
  /** Number of points fitted. */
  readonly n: number;

  constructor(json: PolynomialFitJSON) {
    check(
      json.coefficients.length >= 1 && json.coefficients.length <= 3,
      "PolynomialFit",
      () => `needs 1–3 coefficients, got ${json.coefficients.length}`,
    );
    this.coefficients = json.coefficients.slice();
    this.xMin = json.xMin;
    this.xMax = json.xMax;
    this.r2 = json.r2;
    this.n = json.n;
  }

  /**
   * Fits `ys` against `xs`. `degree: "auto"` takes a quadratic only when there
   * are at least 5 distinct x values and it improves the adjusted R², else a
   * line; the degree is lowered when there are too few distinct x values.
   *
   * @param degree 0, 1, 2 or "auto". @default "auto"
   */
  static fit(xs: ArrayLike<number>, ys: ArrayLike<number>, degree: 0 | 1 | 2 | "auto" = "auto"): PolynomialFit {
    check(
      xs.length === ys.length && xs.length > 0,
      "PolynomialFit.fit",
      () => `needs equally many x and y values (at least one), got ${xs.length} and ${ys.length}`,
    );
    const distinct = new Set(Array.from(xs)).size;
    if (degree === "auto") {
      const linear = PolynomialFit.fit(xs, ys, 1);
      if (distinct < 5) return linear;
      const quadratic = PolynomialFit.fit(xs, ys, 2);
      return adjustedR2(quadratic) > adjustedR2(linear) ? quadratic : linear;
    }
    const d = Math.min(degree, distinct - 1);
    let xMin = Infinity;
    let xMax = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      xMin = Math.min(xMin, xs[i]);
      xMax = Math.max(xMax, xs[i]);
    }
    // Solve the normal equations in a centred, scaled x for conditioning, then expand.
    const centre = (xMin + xMax) / 2;
    const scale = xMax > xMin ? (xMax - xMin) / 2 : 1;
    const m = d + 1;
    const a = Array.from({ length: m }, () => new Float64Array(m + 1));
    for (let i = 0; i < xs.length; i++) {
      const u = (xs[i] - centre) / scale;
      const powers = [1, u, u * u];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < m; c++) a[r][c] += powers[r] * powers[c];
        a[r][m] += powers[r] * ys[i];
      }
    }
    const b = solve(a);
    // Expand b(u) with u = (x − centre)/scale into coefficients of x.
    const coefficients = [0, 0, 0];
    coefficients[0] += b[0];
    if (m > 1) {
      coefficients[0] -= (b[1] * centre) / scale;
      coefficients[1] += b[1] / scale;
    }
    if (m > 2) {
      const s2 = scale * scale;
      coefficients[0] += (b[2] * centre * centre) / s2;
      coefficients[1] -= (2 * b[2] * centre) / s2;
      coefficients[2] += b[2] / s2;
    }
    coefficients.length = m;
    const poly = new PolynomialFit({ coefficients, xMin, xMax, r2: 0, n: xs.length });
    let mean = 0;
    for (let i = 0; i < ys.length; i++) mean += ys[i];
    mean /= ys.length;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < ys.length; i++) {
      ssRes += (ys[i] - poly.polynomial(xs[i])) ** 2;
      ssTot += (ys[i] - mean) ** 2;
    }
    const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes <= 1e-24 * Math.max(1, mean * mean) ? 1 : 0;
    return new PolynomialFit({ coefficients, xMin, xMax, r2, n: xs.length });
  }

  /** Degree of the polynomial (0–2). */
  get degree(): number {
    return this.coefficients.length - 1;
  }

  /** y at `x`, extrapolating linearly outside [xMin, xMax]. */
  at(x: number): number {
    if (x < this.xMin) return this.polynomial(this.xMin) + this.slope(this.xMin) * (x - this.xMin);
    if (x > this.xMax) return this.polynomial(this.xMax) + this.slope(this.xMax) * (x - this.xMax);
    return this.polynomial(x);
  }

  /** Plain JSON; `new PolynomialFit(json)` restores it. */
  toJSON(): PolynomialFitJSON {
    return { coefficients: this.coefficients.slice(), xMin: this.xMin, xMax: this.xMax, r2: this.r2, n: this.n };
  }

  private polynomial(x: number): number {
    const c = this.coefficients;
    return c[0] + (c.length > 1 ? c[1] * x : 0) + (c.length > 2 ? c[2] * x * x : 0);
  }

  private slope(x: number): number {
    const c = this.coefficients;
    return (c.length > 1 ? c[1] : 0) + (c.length > 2 ? 2 * c[2] * x : 0);
  }
}

function adjustedR2(fit: PolynomialFit): number {
  const dof = fit.n - fit.degree - 1;
  return dof > 0 ? 1 - ((1 - fit.r2) * (fit.n - 1)) / dof : -Infinity;
}

/** Gaussian elimination with partial pivoting on an m×(m+1) augmented matrix. */
function solve(a: Float64Array[]): number[] {
  const m = a.length;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    check(Math.abs(p) > 1e-300, "PolynomialFit.fit", () => "singular system (repeated x values only?)");
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r][col] / p;
      for (let c = col; c <= m; c++) a[r][c] -= f * a[col][c];
    }
  }
  return Array.from({ length: m }, (_, r) => a[r][m] / a[r][r]);
}
