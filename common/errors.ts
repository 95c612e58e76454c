/**
 * An error caused by the user's input (a file, a field, a tensor, an option).
 *
 * The CLI prints `approxcaliper: <message>` on one line for these and exits
 * non-zero; `where` names the file, field or tensor at fault so the message
 * can always point at it.
 */
export class InputError extends Error {
  /** The file, field or tensor at fault, e.g. `presets/x.json: rows.spacing`. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "InputError";
    this.where = where;
  }
}

/**
 * Throws an {@link InputError} naming `where` unless `condition` holds.
 * The message is built lazily so hot paths pay nothing when the check passes.
 */
export function check(condition: unknown, where: string, message: () => string): asserts condition {
  if (!condition) throw new InputError(where, message());
}
