import { registerBuiltinProxyType } from '../internal/factory.js';
import { ADAPTER } from '../internal/registry.js';
import type { SortOptions } from '../internal/referents/list.js';
import { BaseProxy } from './base-proxy.js';

export type { SortOptions };

/**
 * Proxy of a list on a manager's server (Python's `ListProxy`). Every method is async; indexes
 * may be negative (`get(-1)` is the last item); an index out of range rejects with a
 * `RangeError` (Python's IndexError). Iterate with `for await`: items are read one by one, so
 * changes made meanwhile are seen (as Python's iteration over a ListProxy).
 *
 * @example
 * ```ts
 * import { Manager } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const l = await manager.list(Array.from({ length: 10 }, (_, i) => i));
 * await l.reverse();
 * console.log(await l.str());  // [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
 * console.log(String(l));      // <ListProxy object, typeid 'list' at 0x1>
 * for await (const x of l) if (x === 0) console.log('done');
 * ```
 */
export class ListProxy<T = unknown> extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = [
    'get', 'set', 'delete', 'len', 'append', 'extend', 'insert', 'pop', 'remove', 'index', 'count', 'has',
    'reverse', 'sort', 'slice', 'toArray', 'concat', 'mul', 'imul',
  ];
  /** @internal The server-side adapter of this proxy type. */
  static readonly [ADAPTER] = 'list';

  /** `l[i]`. */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]);
  }
  /** `l[i] = value`. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]);
  }
  /** `del l[i]`. */
  delete(i: number): Promise<void> {
    return this._callMethod('delete', [i]);
  }
  /** `len(l)`. */
  len(): Promise<number> {
    return this._callMethod('len');
  }
  /** Adds `value` at the end. */
  append(value: T): Promise<void> {
    return this._callMethod('append', [value]);
  }
  /** Adds every value of `values` at the end. */
  extend(values: Iterable<T>): Promise<void> {
    return this._callMethod('extend', [Array.isArray(values) ? values : Array.from(values)]);
  }
  /** Inserts `value` before index `i` (negative counts from the end, as Python). */
  insert(i: number, value: T): Promise<void> {
    return this._callMethod('insert', [i, value]);
  }
  /** Removes and returns the item at `i` (default: the last). */
  pop(i?: number): Promise<T> {
    return this._callMethod('pop', i === undefined ? [] : [i]);
  }
  /** Removes the first item equal to `value` (a ValueError if there is none). */
  remove(value: T): Promise<void> {
    return this._callMethod('remove', [value]);
  }
  /** The index of the first item equal to `value` in `[start, stop)` (a ValueError if none). */
  index(value: T, start?: number, stop?: number): Promise<number> {
    return this._callMethod('index', [value, start ?? null, stop ?? null]);
  }
  /** How many items equal `value`. */
  count(value: T): Promise<number> {
    return this._callMethod('count', [value]);
  }
  /** `value in l`. */
  has(value: T): Promise<boolean> {
    return this._callMethod('has', [value]);
  }
  /** Reverses the list in place. */
  reverse(): Promise<void> {
    return this._callMethod('reverse');
  }
  /**
   * Sorts in place, as Python (numbers numerically, strings by code point) or with
   * `{ key, reverse }` or a compare function (functions are sent by source to the server).
   */
  sort(options?: SortOptions<T> | ((a: T, b: T) => number)): Promise<void> {
    return this._callMethod('sort', options === undefined ? [] : [options]);
  }
  /** `l[start:end]`, a new array (negative bounds count from the end). */
  slice(start?: number, end?: number): Promise<T[]> {
    return this._callMethod('slice', [start ?? null, end ?? null]);
  }
  /** A copy of the whole list, `l[:]`. */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray');
  }
  /** `l + other`: a new array (the list is unchanged). */
  concat(other: Iterable<T>): Promise<T[]> {
    return this._callMethod('concat', [Array.isArray(other) ? other : Array.from(other)]);
  }
  /** `l * n`: a new array. */
  mul(n: number): Promise<T[]> {
    return this._callMethod('mul', [n]);
  }
  /** `l *= n`, in place. */
  imul(n: number): Promise<void> {
    return this._callMethod('imul', [n]);
  }

  /** The items, with `for await (const x of l)`, read from the server as you go. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (let i = 0; ; i++) {
      let item: T;
      try {
        item = await this.get(i);
      } catch (error) {
        if (error instanceof RangeError) return;
        throw error;
      }
      yield item;
    }
  }
}

registerBuiltinProxyType('list', ListProxy);
