import { registry, type ReducerEntry } from './internal/registry.js';
import type { ReduceContext, ReviveContext } from './types.js';

/**
 * Teach the serializer a new kind of value: the way library handles (a Lock, a Queue) cross to
 * another process. Registered reducers are tried, in registration order, before any built-in
 * handling of objects and functions.
 *
 * Both processes must register the reducer under the same name (register it in the module that
 * defines the type, so that importing that module registers it). Registering a name again replaces
 * its `revive`, and objects that the older `test` matches are still reduced (the ESM and CJS
 * builds of one library can both register).
 *
 * @param name - the name on the wire, unique per kind (e.g. `'@mp/sync:Lock'`).
 * @param test - true for the values this reducer handles; called for every object and function
 *   being serialized, so keep it cheap (`v instanceof Lock`).
 * @param reduce - turns the value into data; the data is serialized recursively (it may hold any
 *   serializable value). `ctx.share(sab)` / `ctx.transfer(port)` put shared memory and
 *   transferables in the sidecar (they return -1 when there is none).
 * @param revive - turns the data back into a value in the receiver. In a cycle through the value
 *   itself, it may see data whose back-references are not yet revived.
 * @param options - `module`: the URL of the module that registers this reducer (usually
 *   `import.meta.url`). A payload that uses the reducer then names that module, and
 *   `decodeAsync` imports it before decoding, so the receiver need not import it beforehand.
 * @example
 * ```ts
 * import { registerReducer, dumps, loads } from '@mp/serialize';
 * class Temperature { constructor(readonly celsius: number) {} }
 * registerReducer<Temperature>(
 *   'example:Temperature',
 *   (v) => v instanceof Temperature,
 *   (t) => t.celsius,
 *   (data) => new Temperature(data as number),
 * );
 * loads<Temperature>(dumps(new Temperature(21))).celsius; // 21
 * ```
 */
export function registerReducer<T>(
  name: string,
  test: (value: unknown) => boolean,
  reduce: (value: T, ctx: ReduceContext) => unknown,
  revive: (data: unknown, ctx: ReviveContext) => T,
  options: { module?: string } = {},
): void {
  if (typeof test !== 'function' || typeof reduce !== 'function' || typeof revive !== 'function') {
    throw new TypeError('registerReducer(name, test, reduce, revive): test, reduce and revive must be functions');
  }
  const entry: ReducerEntry = {
    name: String(name),
    test,
    reduce: reduce as ReducerEntry['reduce'],
    revive,
    ...(options.module === undefined ? {} : { module: String(options.module) }),
  };
  const same = registry.reducers.findIndex((r) => r.name === entry.name && r.test === test);
  if (same >= 0) registry.reducers[same] = entry;
  else registry.reducers.push(entry);
  registry.reducersByName.set(entry.name, entry);
}
