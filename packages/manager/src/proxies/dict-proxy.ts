import { registerBuiltinProxyType } from '../internal/factory.js';
import { ADAPTER } from '../internal/registry.js';
import { BaseProxy } from './base-proxy.js';
import type { IteratorProxy } from './iterator-proxy.js';

/**
 * What `dict(init)` and `update(other)` accept: a Map, `[key, value]` pairs, or an object.
 *
 * @example
 * ```ts
 * const init: DictInit<string, number> = [['a', 1], ['b', 2]];
 * const d = await manager.dict(init);
 * ```
 */
export type DictInit<K, V> = Map<K, V> | ReadonlyArray<readonly [K, V]> | Record<string, V>;

/**
 * Proxy of a dict on a manager's server (Python's `DictProxy`). The server's dict is a `Map`, so
 * keys keep their type (`1` and `'1'` are different keys). Every method is async. Iterate its
 * keys with `for await` (live: a dict that changes size meanwhile makes the iteration fail, as in
 * Python).
 *
 * @example
 * ```ts
 * import { Manager } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const d = await manager.dict<number, string>();
 * await d.set(1, 'one');
 * console.log(await d.get(1), await d.has('1'));   // one false
 * console.log(await d.items());                     // [ [ 1, 'one' ] ]
 * for await (const key of d) console.log(key);      // 1
 * ```
 */
export class DictProxy<K = unknown, V = unknown> extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = [
    'get', 'set', 'delete', 'has', 'keys', 'values', 'items', 'update', 'pop', 'popitem', 'setdefault', 'clear', 'len', 'copy', 'iter',
  ];
  /** Methods whose results come back as proxies (Python's `_method_to_typeid_`): `iter` gives an `Iterator`. */
  static readonly _methodToTypeid_: Readonly<Record<string, string>> = { iter: 'Iterator' };
  /** @internal The server-side adapter of this proxy type. */
  static readonly [ADAPTER] = 'dict';

  /** `d.get(key, fallback)`: the value, or `fallback` (default undefined) when the key is absent. */
  get(key: K): Promise<V | undefined>;
  get<D>(key: K, fallback: D): Promise<V | D>;
  get(key: K, ...fallback: unknown[]): Promise<unknown> {
    return this._callMethod('get', [key, ...fallback]);
  }
  /** `d[key] = value`. */
  set(key: K, value: V): Promise<void> {
    return this._callMethod('set', [key, value]);
  }
  /** `del d[key]` (a KeyError if absent). */
  delete(key: K): Promise<void> {
    return this._callMethod('delete', [key]);
  }
  /** `key in d`. */
  has(key: K): Promise<boolean> {
    return this._callMethod('has', [key]);
  }
  /** The keys, in insertion order (their types kept: a number key stays a number). */
  keys(): Promise<K[]> {
    return this._callMethod('keys');
  }
  /** The values, in insertion order. */
  values(): Promise<V[]> {
    return this._callMethod('values');
  }
  /** The `[key, value]` pairs. */
  items(): Promise<Array<[K, V]>> {
    return this._callMethod('items');
  }
  /** Adds the pairs of a Map, an array of pairs, or an object. */
  update(other: DictInit<K, V>): Promise<void> {
    return this._callMethod('update', [other]);
  }
  /** Removes `key` and returns its value; `fallback` if absent, else a KeyError. */
  pop(key: K): Promise<V>;
  pop<D>(key: K, fallback: D): Promise<V | D>;
  pop(key: K, ...fallback: unknown[]): Promise<unknown> {
    return this._callMethod('pop', [key, ...fallback]);
  }
  /** Removes and returns the last inserted `[key, value]` (a KeyError if empty). */
  popitem(): Promise<[K, V]> {
    return this._callMethod('popitem');
  }
  /** The value of `key`, inserting `fallback` first if absent. */
  setdefault(key: K, fallback?: V): Promise<V> {
    return this._callMethod('setdefault', [key, fallback]);
  }
  /** Removes every entry. */
  clear(): Promise<void> {
    return this._callMethod('clear');
  }
  /** `len(d)`. */
  len(): Promise<number> {
    return this._callMethod('len');
  }
  /** A copy of the whole dict, as a Map. */
  copy(): Promise<Map<K, V>> {
    return this._callMethod('copy');
  }

  /** The keys, with `for await (const k of d)`, read from the server as you go. */
  async *[Symbol.asyncIterator](): AsyncGenerator<K, void, undefined> {
    const it = await this._callMethod<IteratorProxy<K>>('iter');
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      it[Symbol.dispose]();
    }
  }
}

registerBuiltinProxyType('dict', DictProxy);
