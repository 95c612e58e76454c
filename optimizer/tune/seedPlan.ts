import { InputError } from "../../common/index.ts";

/** Seeds as a configuration gives them: a count K, or the list. */
export type SeedSpec = number | readonly number[];

/**
 * The three disjoint seed sets of an ApproxCaliper run. Calibration seeds
 * decide the error budget, tuning seeds the guided (and unguided) search's
 * QoS runs, verification seeds the final check of every chosen model: a
 * seed (and, on a scenario distribution, the world it draws) used to choose
 * a model never also judges it.
 */
export interface SeedSets {
  calibration: number[];
  tuning: number[];
  verification: number[];
}

/** Field names the errors of {@link planSeeds} use (a configuration's). */
export interface SeedFields {
  calibration: string;
  tuning: string;
  verification: string;
}

const CONFIG_FIELDS: SeedFields = { calibration: "calibration.seeds", tuning: "seeds", verification: "verifySeeds" };

/**
 * Lays out the calibration, tuning and verification seeds, disjoint by
 * construction: a count K takes the K seeds after every seed of the sets
 * before it (calibration first, from 0; then tuning; then verification),
 * a list is taken as given. Verification defaults to as many seeds as
 * tuning; without calibration seeds (constraints made elsewhere) the sets
 * start with tuning.
 *
 * @example
 * planSeeds({ calibration: 3, tuning: 2 }); // { calibration: [0, 1, 2], tuning: [3, 4], verification: [5, 6] }
 * @throws InputError naming `where` and the field when a list is empty, holds a non-integer or repeats a seed of an earlier set.
 */
export function planSeeds(
  spec: { calibration?: SeedSpec; tuning: SeedSpec; verification?: SeedSpec },
  where?: string,
  fields: SeedFields = CONFIG_FIELDS,
): SeedSets {
  const at = (field: string) => (where ? `${where}: ${field}` : field);
  const taken = new Map<number, string>();
  let next = 0;
  const place = (s: SeedSpec, key: keyof SeedFields): number[] => {
    const field = fields[key];
    let list: number[];
    if (typeof s === "number") {
      if (!(Number.isInteger(s) && s > 0)) throw new InputError(at(field), `expected a positive seed count or a list of seeds, got ${s}`);
      list = Array.from({ length: s }, (_, k) => next + k);
    } else {
      list = [...s];
      if (list.length === 0 || !list.every((x) => Number.isInteger(x) && x >= 0))
        throw new InputError(at(field), "expected a non-empty list of non-negative integer seeds");
    }
    for (const seed of list) {
      const owner = taken.get(seed);
      if (owner !== undefined)
        throw new InputError(at(field), `seed ${seed} is already in ${owner}; calibration, tuning and verification seeds must be disjoint`);
    }
    for (const seed of list) taken.set(seed, field);
    next = Math.max(next, ...list.map((x) => x + 1));
    return list;
  };
  const calibration = spec.calibration === undefined ? [] : place(spec.calibration, "calibration");
  const tuning = place(spec.tuning, "tuning");
  const verification = place(spec.verification ?? tuning.length, "verification");
  return { calibration, tuning, verification };
}
