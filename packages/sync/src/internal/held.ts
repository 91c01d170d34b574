/**
 * Python's `with lock:` for every lock-like of this package (withLock/withLockSync, SharedLock's
 * exclusive/exclusiveSync): acquire, run `fn`, release in `finally`, return what `fn` returned.
 */
export async function heldAsync<T>(acquire: () => Promise<unknown>, release: () => void, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
  await acquire();
  try {
    return await fn();
  } finally {
    release();
  }
}

/** The blocking twin of {@link heldAsync}, for a synchronous `fn`. */
export function heldSync<T>(acquire: () => unknown, release: () => void, fn: () => T): T {
  acquire();
  try {
    return fn();
  } finally {
    release();
  }
}
