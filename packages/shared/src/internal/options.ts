/**
 * The `lock` option of Value and SharedArray, with Python's rules: `true`, `null` or omitted → a
 * new RLock; `false` → no lock (a raw object); a lock-like object → used as is. Anything else is
 * an error (Python: AttributeError "has no method 'acquire'"). The lock may also be passed
 * positionally, as Python's `Value('i', 0, lock)`.
 */
import type { LockLike } from '../lock-like.js';

export function isLockLike(x: unknown): x is LockLike {
  if (x === null || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  return typeof o['acquire'] === 'function' && typeof o['acquireSync'] === 'function' && typeof o['release'] === 'function';
}

export function lockOption(options: unknown, what: string): boolean | LockLike {
  if (options === undefined || options === null) return true;
  if (typeof options === 'boolean' || isLockLike(options)) return options;
  if (typeof options === 'object') {
    const lock = (options as { lock?: unknown }).lock;
    if (lock === undefined || lock === null || lock === true) return true;
    if (lock === false) return false;
    if (isLockLike(lock)) return lock;
    const shown = typeof lock === 'string' ? JSON.stringify(lock) : String(lock);
    throw new TypeError(`${what}: lock must be true, false, or a Lock/RLock (an object with acquire(), acquireSync() and release()); ${shown} has no method 'acquire'`);
  }
  throw new TypeError(`${what}: the third argument is { lock }, not ${String(options)}`);
}
