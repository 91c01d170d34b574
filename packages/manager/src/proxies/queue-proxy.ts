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
  static readonly _exposed_: readonly string[] = ['put', 'putNowait', 'get', 'getNowait', 'qsize', 'empty', 'full', 'taskDone', 'join'];

  put(item: T, block = true, timeout?: number | null): Promise<void> {
    return this._callMethod('put', [item, block, timeout ?? null]);
  }
  putNowait(item: T): Promise<void> {
    return this._callMethod('putNowait', [item]);
  }
  get(block = true, timeout?: number | null): Promise<T> {
    return this._callMethod('get', [block, timeout ?? null]);
  }
  getNowait(): Promise<T> {
    return this._callMethod('getNowait');
  }
  qsize(): Promise<number> {
    return this._callMethod('qsize');
  }
  empty(): Promise<boolean> {
    return this._callMethod('empty');
  }
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
