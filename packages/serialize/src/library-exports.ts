import { registry } from './internal/registry.js';

/**
 * Record that the module at `moduleUrl` exports `exports` (SPI, for library authors).
 *
 * A library module calls this when it is evaluated, with its own `import.meta.url`. Then:
 * - a by-value function that uses one of these names as a free variable (e.g. `Queue` or
 *   `currentProcess`) serializes fine, and the receiver binds the name to this module's export;
 * - an export that is a function or class, found as a value, is sent by reference (module, name);
 * - in the receiver, the module counts as loaded, so synchronous `loads` can use it.
 *
 * A name registered by several modules resolves to the first. A name that is also a global
 * (`Event`, `Array`) resolves to the global in a free-variable position: pass the library's one
 * with `withScope(fn, { Event })`.
 *
 * @param moduleUrl - the module's URL (`import.meta.url`); must be importable in the receiver.
 * @param exports - export name → value, usually the module's namespace or a subset of it.
 * @example
 * ```ts
 * // in the library's entry module
 * import { registerLibraryExports } from '@mp/serialize/spi';
 * export class Queue { ... }
 * export function currentProcess() { ... }
 * registerLibraryExports(import.meta.url, { Queue, currentProcess });
 * ```
 */
export function registerLibraryExports(moduleUrl: string, exports: Record<string, unknown>): void {
  const url = String(moduleUrl);
  const previous = registry.libraryModules.get(url);
  registry.libraryModules.set(url, previous ? { ...previous, ...exports } : { ...exports });
  for (const name of Object.keys(exports)) {
    if (!registry.libraryNames.has(name)) registry.libraryNames.set(name, url);
    const value = exports[name];
    if ((typeof value === 'function' || (typeof value === 'object' && value !== null)) && !registry.libraryValues.has(value)) {
      registry.libraryValues.set(value, { url, name });
    }
  }
}

/**
 * The URLs of the library modules registered in this isolate (SPI). A parent passes them to a
 * child, which imports them before decoding, so names and reducers they register are known.
 *
 * @example
 * ```ts
 * const modules = libraryModules(); // ['file:///…/@mp/context/dist/index.js', …]
 * ```
 */
export function libraryModules(): string[] {
  return [...registry.libraryModules.keys()];
}
