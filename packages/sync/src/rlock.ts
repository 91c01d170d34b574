import { registerSharedClass, withAttaching } from '@mp/context/spi';
import { LockBase, lockInternals, lockKind } from './internal/lock-base.js';
import { WHO_ME, WHO_NONE, whoName } from './internal/remote.js';

/** The kind of RLock (internal: also the kind of a Condition's embedded lock, see condition.ts). */
export const RLOCK_KIND = lockKind('sync.RLock', import.meta.url);
const KIND = RLOCK_KIND;

/**
 * A recursive lock (Python's `multiprocessing.RLock`): its owner — a (process, thread) pair,
 * i.e. one isolate — may acquire it again; it is free once released as many times. Only the owner
 * may release it ({@link NotAcquiredError} "cannot release un-acquired lock" otherwise).
 *
 * If its owner dies, the next acquirer takes it over (count 1) and sees {@link RLock.ownerDied}.
 *
 * @example
 * ```ts
 * import { RLock } from 'multiprocess';
 *
 * const lock = new RLock();
 * await lock.acquire();
 * await lock.acquire();     // same owner: count 2
 * console.log(String(lock)); // <RLock(MainProcess, 2)>
 * lock.release();
 * lock.release();
 * ```
 */
export class RLock extends LockBase {
  /**
   * A new, unlocked recursive lock.
   *
   * @example
   * ```ts
   * const lock = new RLock(); // or ctx.RLock()
   * ```
   */
  constructor() {
    super(KIND, true);
  }

  /**
   * Python's repr: `<RLock(None, 0)>`, `<RLock(MainProcess, 2)>` (held by the caller, with its
   * count), `<RLock(SomeOtherProcess, nonzero)>`.
   *
   * @example
   * ```ts
   * String(new RLock()); // '<RLock(None, 0)>'
   * ```
   */
  override toString(): string {
    const [who, count] = this.describe();
    if (who === WHO_NONE) return '<RLock(None, 0)>';
    return `<RLock(${whoName(who)}, ${who === WHO_ME ? count : 'nonzero'})>`;
  }
}

registerSharedClass(RLock, KIND, (l) => lockInternals(l).handle, (h) => withAttaching(h, () => new RLock()));
