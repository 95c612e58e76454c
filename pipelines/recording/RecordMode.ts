/** Which closed-loop runs leave a replay on disk. */
export const RECORD_MODES = ["failing", "all", "none"] as const;

/**
 * `failing` (the default): only runs that miss the QoS goal, the ones worth
 * watching; `all`: every run; `none`: no replays.
 */
export type RecordMode = (typeof RECORD_MODES)[number];

/** Does a run that passed (or not) get a replay under `mode`? */
export function shouldRecord(mode: RecordMode, pass: boolean): boolean {
  return mode === "all" || (mode === "failing" && !pass);
}
