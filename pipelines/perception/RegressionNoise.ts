import type { Random } from "../../common/index.ts";
import type { RegressionError } from "./PerceptionConfig.ts";

/**
 * Draws `bias + noise` for one regression output (see {@link RegressionError}).
 * Student-t noise is scaled by √((ν−2)/ν) so its standard deviation equals `std`.
 */
export function sampleRegressionError(err: RegressionError, rng: Random): number {
  if (err.std === 0) return err.bias;
  if (err.nu === undefined) return err.bias + rng.normal(0, err.std);
  return err.bias + rng.studentT(err.nu, err.std * Math.sqrt((err.nu - 2) / err.nu));
}
