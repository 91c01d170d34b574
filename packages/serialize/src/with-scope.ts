import { registry } from './internal/registry.js';

/**
 * Give a by-value function the variables it uses from its defining scope. When the function is
 * serialized, the values of the names it uses are serialized too (recursively: they may be library
 * objects such as a shared `Value`, other functions, or the function itself for recursion) and
 * bound as its free variables in the receiver.
 *
 * The function is marked in place and returned (calling it here is unchanged). Each value is
 * captured when the function is serialized, so the child gets a copy (or, for library objects,
 * a live handle).
 *
 * @param fn - the function or class.
 * @param scope - variable name → value.
 * @returns `fn`.
 * @example
 * ```ts
 * import { withScope, dumps, loads } from '@mp/serialize';
 * const factor = 3;
 * const scale = withScope((x: number) => x * factor, { factor });
 * loads<typeof scale>(dumps(scale))(2); // 6
 * ```
 */
export function withScope<F extends Function>(fn: F, scope: Record<string, unknown>): F {
  if (typeof fn !== 'function') throw new TypeError('withScope(fn, scope): fn must be a function');
  if (typeof scope !== 'object' || scope === null) throw new TypeError('withScope(fn, scope): scope must be an object');
  for (const name of Object.keys(scope)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new TypeError(`withScope: \`${name}\` is not a valid variable name`);
  }
  const previous = registry.scopes.get(fn);
  registry.scopes.set(fn, Object.freeze({ ...previous, ...scope }));
  return fn;
}
