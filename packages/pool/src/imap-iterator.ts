/** IMapIterator: what `imap` and `imapUnordered` return. */
import { TimeoutError } from '@mp/connection';
import type { IMapJob } from './internal/imap-job.js';
import { checkMs } from './options.js';

const kJob = Symbol('multiprocess.pool.imapJob');

/**
 * The results of `imap` (in input order) or `imapUnordered` (as they come): an async iterator
 * that reads its input lazily, with a bounded number of chunks in flight. Use it with
 * `for await`, or call `next(timeout?)` as Python's `IMapIterator.next(timeout)`. Leaving a
 * `for await` early (or `return()`) stops reading the input.
 *
 * @example
 * ```ts
 * import { Pool } from 'multiprocess';
 * await using pool = new Pool(4);
 * function* naturals() { for (let i = 0; ; i++) yield i; }
 * for await (const square of pool.imap((x: number) => x * x, naturals())) {
 *   if (square > 100) break; // the endless input stops being read here
 * }
 * ```
 */
export class IMapIterator<R> implements AsyncIterableIterator<R, undefined> {
  /** @internal */
  readonly [kJob]: IMapJob;

  /** @internal Made by the Pool. */
  constructor(job: IMapJob) {
    this[kJob] = job;
  }

  /**
   * The next result: `{ value, done: false }`, or `{ done: true }` after the last one. Rejects
   * with the task's error when a task failed (iteration may go on after it), and with a
   * TimeoutError if `timeout` ms pass first (no result is lost: call `next()` again).
   */
  next(timeout?: number | null): Promise<IteratorResult<R, undefined>> {
    let ms: number | null;
    try {
      ms = checkMs(timeout, 'timeout');
    } catch (error) {
      return Promise.reject(error);
    }
    return this[kJob].next(ms, () => new TimeoutError(`no result within ${ms} ms (the tasks go on: call next() again to wait longer)`)) as Promise<IteratorResult<R, undefined>>;
  }

  /** Stops the iteration: the input is not read further (its `return()` is called) and pending results are dropped. */
  async return(): Promise<IteratorResult<R, undefined>> {
    this[kJob].stop(null);
    return { done: true, value: undefined };
  }

  /** The iterator itself: `for await (const r of pool.imap(...))`. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  toString(): string {
    return '<IMapIterator>';
  }
}
