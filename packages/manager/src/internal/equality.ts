/**
 * Python's `==` for the data a manager holds (list.count/index/remove, `x in list`): equal
 * primitives, and arrays, plain objects, Maps, Sets and Dates with equal contents. Proxies are
 * equal when they refer to the same object.
 */
const PROXY_ID = Symbol.for('@mp/manager.proxyId');

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ida = (a as Record<symbol, unknown>)[PROXY_ID];
  if (ida !== undefined) return ida === (b as Record<symbol, unknown>)[PROXY_ID];
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEquals(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const pa = Object.getPrototypeOf(a) as unknown;
  if ((pa === Object.prototype || pa === null) && Object.getPrototypeOf(b) === pa) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

export { PROXY_ID };
