import { InputError } from "./errors.ts";

/** One registered entry: its canonical name, a one-line description and the value. */
export interface RegistryEntry<T> {
  /** Canonical name, as configs and `--help` spell it. */
  readonly name: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  readonly value: T;
  /** Other spellings accepted on input (older names); never listed as choices. */
  readonly aliases?: readonly string[];
}

/**
 * Names → values (losses, metrics, objectives), registered as data the way
 * gradient rules are: one table, read by the CLI, the config schemas and the
 * API alike, so a name means the same thing everywhere. Registering a name
 * twice throws; looking up an unknown one throws an {@link InputError} that
 * lists the known names.
 *
 * @example
 * const losses = new NameRegistry<() => Loss>("loss").register({ name: "l1", description: "mean |e|", value: l1Loss });
 * losses.get("l1", "--loss")();
 */
export class NameRegistry<T> {
  private readonly entries = new Map<string, RegistryEntry<T>>();
  private readonly lookup = new Map<string, RegistryEntry<T>>();

  /** @param what what the names name, for messages ("loss", "metric"). */
  constructor(readonly what: string) {}

  /** Adds entries. @throws Error when a name or alias is already taken. */
  register(...entries: RegistryEntry<T>[]): this {
    for (const entry of entries) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        if (this.lookup.has(name)) throw new Error(`${this.what} "${name}" registered twice`);
        this.lookup.set(name, entry);
      }
      this.entries.set(entry.name, entry);
    }
    return this;
  }

  /** Canonical names, in registration order. */
  names(): [string, ...string[]] {
    return [...this.entries.keys()] as [string, ...string[]];
  }

  /** True when `name` is a canonical name or an alias. */
  has(name: string): boolean {
    return this.lookup.has(name);
  }

  /** The entry of a name or alias. @throws InputError naming `where` and listing the known names. */
  entry(name: string, where: string): RegistryEntry<T> {
    const e = this.lookup.get(name);
    if (!e) throw new InputError(where, `unknown ${this.what} "${name}"; expected one of ${this.names().join(", ")}`);
    return e;
  }

  /** The value of a name or alias. @throws InputError naming `where` and listing the known names. */
  get(name: string, where: string): T {
    return this.entry(name, where).value;
  }

  /** The canonical name of a name or alias. @throws InputError as {@link get}. */
  canonical(name: string, where: string): string {
    return this.entry(name, where).name;
  }

  /** Every entry, in registration order. */
  list(): RegistryEntry<T>[] {
    return [...this.entries.values()];
  }
}
