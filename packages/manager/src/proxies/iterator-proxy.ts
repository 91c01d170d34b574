import { registerBuiltinProxyType } from '../internal/factory.js';
import { BaseProxy } from './base-proxy.js';

/**
 * Proxy of an iterator or generator on a manager's server (Python's `IteratorProxy`): an async
 * iterator whose `next()` runs on the server. Register a generator function with this
 * proxytype to stream its values.
 *
 * @example
 * ```ts
 * import { BaseManager, IteratorProxy } from 'multiprocess';
 *
 * class MyManager extends BaseManager {}
 * MyManager.register('squares', function* () { for (let i = 0; i < 4; i++) yield i * i; }, { proxytype: IteratorProxy });
 * await using manager = await new MyManager().start();
 * const it = await manager._create<IteratorProxy<number>>('squares');
 * for await (const x of it) console.log(x); // 0 1 4 9
 * ```
 */
export class IteratorProxy<T = unknown> extends BaseProxy implements AsyncIterableIterator<T> {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['next'];

  /** The next `{ value, done }` from the server's iterator. */
  next(): Promise<IteratorResult<T, undefined>> {
    return this._callMethod('next');
  }
  /** Ends the iteration here (the server's iterator is freed with its last proxy). */
  async return(): Promise<IteratorResult<T, undefined>> {
    return { done: true, value: undefined };
  }
  /** The iterator itself: `for await (const x of it)`. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}

registerBuiltinProxyType('Iterator', IteratorProxy);
