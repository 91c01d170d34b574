import { registerSharedClass, withAttaching } from '@mp/context/spi';
import { LockBase, lockInternals, lockKind } from './internal/lock-base.js';
import { whoName } from './internal/remote.js';

const KIND = lockKind('sync.Lock', import.meta.url);

/**
 * A non-recursive lock (Python's `multiprocessing.Lock`), on shared memory: one word of a
 * SharedArrayBuffer, so threads acquire it with a CAS and no message; spawned processes go
 * through the root's broker. Pass it to children as a Process argument: it arrives live.
 *
 * As in Python, any process may release a held Lock; releasing an unheld one throws
 * {@link NotAcquiredError} ("release unlocked lock"). If its holder dies (a killed process, an
 * ended thread), the next acquirer takes it over and sees {@link Lock.ownerDied} true.
 *
 * @example
 * ```ts
 * import { Lock, Process } from 'multiprocess';
 *
 * const lock = new Lock();
 * const p = new Process({
 *   target: async (l: Lock) => l.withLock(() => console.log('child has the lock')),
 *   args: [lock],
 * });
 * await p.start();
 * await lock.withLock(() => console.log('parent has the lock'));
 * await p.join();
 * ```
 */
export class Lock extends LockBase {
  /**
   * A new, unlocked lock.
   *
   * @example
   * ```ts
   * const lock = new Lock(); // or getContext('spawn').Lock()
   * ```
   */
  constructor() {
    super(KIND, false);
  }

  /**
   * Python's repr: `<Lock(owner=None)>`, `<Lock(owner=MainProcess)>` (held by the caller's
   * process), `<Lock(owner=SomeOtherProcess)>`.
   *
   * @example
   * ```ts
   * String(new Lock()); // '<Lock(owner=None)>'
   * ```
   */
  override toString(): string {
    return `<Lock(owner=${whoName(this.describe()[0])})>`;
  }
}

registerSharedClass(Lock, KIND, (l) => lockInternals(l).handle, (h) => withAttaching(h, () => new Lock()));
