export { InputError, check } from "./errors.ts";
export { Random } from "./random.ts";
export { stableHash, stableStringify } from "./hash.ts";
export { parseInput } from "./parseInput.ts";
export { binomialUpperTail, rateLowerBound, rateUpperBound } from "./stats/binomialBounds.ts";
export { SequentialRateTest, type SequentialRateTestOptions, type RateDecision, type RateVerdict } from "./stats/SequentialRateTest.ts";
export { writeFileAtomic, writeFileAtomicSync } from "./files/writeFileAtomic.ts";
export { OutputFolder, LOCK_FILE, readHolder, type LockHolder, type OutputFolderOptions } from "./files/OutputFolder.ts";
