import { registerBuiltinProxyType } from '../internal/factory.js';
import { BaseProxy } from './base-proxy.js';

/**
 * Proxy of a manager's Queue or JoinableQueue (Python's `AutoProxy[Queue]` over `queue.Queue`).
 * Every method is async. `get`/`put` wait on the server without blocking anyone else; timeouts
 * are in ms; `getNowait()` on an empty queue rejects with `Empty`, `putNowait()` on a full one
 * with `Full` (the classes of @mp/queue).
 *
 * @example
 * ```ts
 * import { Manager, Process } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const q = await manager.Queue<string>();
 * const p = new Process({ target: async (q) => q.put('hello'), args: [q] });
 * await p.start();
 * console.log(await q.get()); // hello
 * await p.join();
 * ```
 */
export class QueueProxy<T = unknown> extends BaseProxy {
  /** Methods the server lets this proxy call (Python's `_exposed_`). */
  static readonly _exposed_: readonly string[] = ['put', 'putNowait', 'get', 'getNowait', 'qsize', 'empty', 'full', 'taskDone', 'join'];

  /** Puts `item` in the server's queue (waiting for room when `block`, up to `timeout` ms; then `Full`). */
  put(item: T, block = true, timeout?: number | null): Promise<void> {
    return this._callMethod('put', [item, block, timeout ?? null]);
  }
  /** Puts `item` without waiting; rejects with `Full` when the queue is full. */
  putNowait(item: T): Promise<void> {
    return this._callMethod('putNowait', [item]);
  }
  /** Takes the next item (waiting when `block`, up to `timeout` ms; then `Empty`). */
  get(block = true, timeout?: number | null): Promise<T> {
    return this._callMethod('get', [block, timeout ?? null]);
  }
  /** Takes the next item without waiting; rejects with `Empty` when there is none. */
  getNowait(): Promise<T> {
    return this._callMethod('getNowait');
  }
  /** The number of items in the queue. */
  qsize(): Promise<number> {
    return this._callMethod('qsize');
  }
  /** True if the queue has no item. */
  empty(): Promise<boolean> {
    return this._callMethod('empty');
  }
  /** True if the queue is at its `maxsize`. */
  full(): Promise<boolean> {
    return this._callMethod('full');
  }
  /** Marks one item got from the queue as processed (a ValueError if called too often). */
  taskDone(): Promise<void> {
    return this._callMethod('taskDone');
  }
  /** Waits until every item put has been marked done with `taskDone()`. */
  join(): Promise<void> {
    return this._callMethod('join');
  }
}

registerBuiltinProxyType('Queue', QueueProxy);
registerBuiltinProxyType('JoinableQueue', QueueProxy);
