import { InputError } from "../../common/index.ts";
import type { ApplicationSpec } from "./ApplicationSpec.ts";
import { BUILTIN_APPLICATIONS } from "./builtinApplications.ts";

const registry = new Map<string, ApplicationSpec>(BUILTIN_APPLICATIONS.map((s) => [s.name, s]));

/**
 * Adds an application (typed by `defineApplication`) to this thread's
 * registry and returns it. Call it at the top level of the spec's module, so that a
 * worker importing `spec.module` registers it too. Registering the same spec
 * again is a no-op.
 * @throws Error when another spec already has the name.
 */
export function registerApplication(spec: ApplicationSpec): ApplicationSpec {
  const known = registry.get(spec.name);
  if (known && known !== spec && known.module !== spec.module) {
    throw new Error(`application "${spec.name}" is already registered (from ${known.module})`);
  }
  registry.set(spec.name, spec);
  return spec;
}

/**
 * The registered application of this name.
 * @throws InputError naming `where` and the registered names when there is none.
 */
export function getApplication(name: string, where = "run.pipeline"): ApplicationSpec {
  const spec = registry.get(name);
  if (!spec) throw new InputError(where, `unknown application "${name}"; expected one of ${applicationNames().join(", ")}`);
  return spec;
}

/** Names of the registered applications, built-in ones first. */
export function applicationNames(): string[] {
  return [...registry.keys()];
}

/**
 * The application of this name, importing `module` (its spec's module URL)
 * first when the name is not registered in this thread yet — how worker
 * threads and processes find applications defined outside the package.
 * @throws InputError when the module defines no application of that name.
 */
export async function loadApplication(name: string, module?: string): Promise<ApplicationSpec> {
  if (!registry.has(name) && module !== undefined) {
    const exports = (await import(module)) as { default?: unknown };
    const fallback = exports.default as ApplicationSpec | undefined;
    if (!registry.has(name) && fallback?.name === name && typeof fallback.loop === "function") registerApplication(fallback);
    if (!registry.has(name)) throw new InputError("run.pipeline", `module ${module} defines no application "${name}"`);
  }
  return getApplication(name);
}
