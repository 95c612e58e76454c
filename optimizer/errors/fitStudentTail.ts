import { logGamma } from "../../common/index.ts";

/** Degrees of freedom tried: heavy (3) to nearly Gaussian (30); the injector draws integer ν (see `Random.studentT`). */
const DOF = [3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30];

/**
 * How heavy the tails of zero-mean residuals are, as `1/ν` of the Student-t
 * that fits them best (maximum likelihood over integer ν from 3 to 30,
 * against the Gaussian) at their measured standard deviation `std` — the
 * spread is the std term's, this only shapes it. 0 means the Gaussian fits
 * best. `1/ν` rather than ν so the term is continuous across metric levels
 * (0 = Gaussian) and can be fitted by a polynomial.
 *
 * @param residuals errors with bias (and gain) removed, every `stride`-th value from `offset`.
 */
export function fitStudentTail(residuals: ArrayLike<number>, std: number, offset = 0, stride = 1): number {
  if (!(std > 0)) return 0;
  let n = 0;
  let sumSq = 0;
  for (let i = offset; i < residuals.length; i += stride) {
    sumSq += residuals[i] * residuals[i];
    n++;
  }
  if (n < 8) return 0;
  let best = 0;
  let bestLl = (-0.5 * sumSq) / (std * std) - n * (Math.log(std) + 0.5 * Math.log(2 * Math.PI));
  for (const nu of DOF) {
    const s2 = (std * std * (nu - 2)) / nu;
    let ll = n * (logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI * s2));
    for (let i = offset; i < residuals.length; i += stride) ll -= ((nu + 1) / 2) * Math.log1p((residuals[i] * residuals[i]) / (nu * s2));
    if (ll > bestLl) {
      bestLl = ll;
      best = 1 / nu;
    }
  }
  return best;
}
