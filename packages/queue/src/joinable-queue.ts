import { coreOf, JOINABLE_KIND, setKind } from './internal/kinds.js';
import { Queue } from './queue.js';

/**
 * A {@link Queue} that counts unfinished tasks (Python's `multiprocessing.JoinableQueue`): every
 * `put` adds one, every `taskDone()` removes one, and `join()` waits until none is left.
 *
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { JoinableQueue, Process } from 'multiprocess';
 *
 * const q = new JoinableQueue<string>();
 * const worker = new Process({
 *   target: async (q: JoinableQueue<string | null>) => {
 *     for (let item = await q.get(); item !== null; item = await q.get()) {
 *       console.log('processing', item);
 *       q.taskDone();
 *     }
 *   },
 *   args: [q],
 * });
 * await worker.start();
 * for (const task of ['a', 'b', 'c']) await q.put(task);
 * await q.join();               // every task is done
 * await q.put(null); await worker.join();
 * ```
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /**
   * Marks one item taken with `get` as processed. Throws a `ValueError` when called more times
   * than items were put ("task_done() called too many times").
   *
   * @example
   * ```ts
   * const job = await q.get();
   * try { await handle(job); } finally { q.taskDone(); }
   * ```
   */
  taskDone(): void {
    coreOf(this).taskDone();
  }

  /**
   * Resolves when every item ever put has been marked done with `taskDone()`.
   *
   * @example
   * ```ts
   * await q.join();
   * ```
   */
  join(): Promise<void> {
    return coreOf(this).join();
  }

  /**
   * Blocking twin of {@link JoinableQueue.join}.
   *
   * @example
   * ```ts
   * q.joinSync();
   * ```
   */
  joinSync(): void {
    coreOf(this).joinSync();
  }
}

setKind(JoinableQueue, JOINABLE_KIND);
