import { registerBuiltinProxyType } from '../internal/factory.js';
import { ADAPTER } from '../internal/registry.js';
import { BaseProxy } from './base-proxy.js';

/**
 * Proxy of `manager.Value(typecode, value)` (Python's `ValueProxy`): `get()`, `set(v)`, and the
 * `value` property: reading it returns a Promise (`await v.value`); assigning it (`v.value = 2`)
 * sends the write at once, ordered with this process's later calls (await `set()` to know it is
 * done).
 *
 * @example
 * ```ts
 * import { Manager } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const v = await manager.Value('i', 1);
 * await v.set(2);
 * console.log(await v.get(), await v.value); // 2 2
 * ```
 */
export class ValueProxy<T = unknown> extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['get', 'set'];
  /** @internal The server-side adapter of this proxy type. */
  static readonly [ADAPTER] = 'value';

  /** The value. */
  get(): Promise<T> {
    return this._callMethod('get');
  }
  /** Sets the value. */
  set(value: T): Promise<void> {
    return this._callMethod('set', [value]);
  }
  /** `await v.value` reads; `v.value = x` writes (pipelined). */
  get value(): Promise<T> {
    return this.get();
  }
  /** Sets the value without waiting (a failure is reported as a process warning). */
  set value(value: T) {
    this.set(value).catch((error: unknown) => process.emitWarning(`Value assignment failed: ${String(error)}`));
  }
}

/**
 * Proxy of `manager.Array(typecode, sequence)` (Python's `ArrayProxy`): a typed array on the
 * server (typecodes as Python's `array`: `b B h H i I l L q Q f d`). Out-of-range indexes reject
 * with a RangeError; values of the wrong type with a TypeError. Iterable with `for await`.
 *
 * @example
 * ```ts
 * const a = await manager.Array('i', [0, 1]);
 * await a.set(1, 5);
 * console.log(await a.get(1), await a.len(), await a.toArray()); // 5 2 [ 0, 5 ]
 * ```
 */
export class ArrayProxy<T extends number | bigint = number> extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['get', 'set', 'len', 'slice', 'toArray'];

  /** The element at index `i` (negative counts from the end). */
  get(i: number): Promise<T> {
    return this._callMethod('get', [i]);
  }
  /** Sets the element at index `i`. */
  set(i: number, value: T): Promise<void> {
    return this._callMethod('set', [i, value]);
  }
  /** `len(a)`. */
  len(): Promise<number> {
    return this._callMethod('len');
  }
  /** The elements from `start` to `end` (exclusive), as Python's `a[start:end]`. */
  slice(start?: number, end?: number): Promise<T[]> {
    return this._callMethod('slice', [start ?? null, end ?? null]);
  }
  /** Every element, as a plain array. */
  toArray(): Promise<T[]> {
    return this._callMethod('toArray');
  }
  /** The elements, with `for await (const x of a)`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (const item of await this.toArray()) yield item;
  }
}

registerBuiltinProxyType('Value', ValueProxy);
registerBuiltinProxyType('Array', ArrayProxy);
