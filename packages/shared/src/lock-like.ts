/**
 * What can synchronize a {@link Value} or {@link SharedArray}: any lock-like of `@mp/sync`
 * (`Lock`, `RLock`, `Semaphore`, `BoundedSemaphore`, `Condition`), as Python accepts any object
 * with `acquire`/`release`. By default each value gets its own `RLock`.
 *
 * @example
 * ```ts
 * import { Lock } from 'multiprocess';
 * const lock: LockLike = new Lock();
 * const v = new Value('i', 0, { lock });
 * v.getLock() === lock; // true
 * ```
 */
export interface LockLike {
  /** Acquires the lock; resolves false if `blocking` is false or `timeout` (ms) passes first. */
  acquire(blocking?: boolean, timeout?: number | null): Promise<boolean>;
  /** {@link LockLike.acquire}, blocking the thread. */
  acquireSync(blocking?: boolean, timeout?: number | null): boolean;
  /** Releases the lock. */
  release(): void;
  /** Acquires, runs `fn`, releases (also on error), and returns what `fn` returned. */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>>;
}
