export { InputError, check } from "./errors.ts";
export { Random } from "./random.ts";
export { stableHash, stableStringify } from "./hash.ts";
export { parseInput } from "./parseInput.ts";
