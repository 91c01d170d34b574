/**
 * Server-side Condition (Python's `threading.Condition`) over a server lock (an RLock by
 * default, or a Lock/RLock of the same manager passed as `manager.Condition(lock)`), or over any
 * foreign lock-like with async `acquire`/`release`.
 *
 * wait(): must own the lock; releases it completely, waits for a notify (or the timeout, or the
 * caller going away), then re-acquires it at its former depth before returning. A caller that
 * went away does not re-acquire (it would hold the lock forever).
 */
import { NotAcquiredError } from '@mp/sync';
import { type Caller, currentCaller } from '../caller.js';
import { timeoutOf, WaitQueue } from '../wait-queue.js';
import { blockingOf, RLockReferent, type ServerLockLike } from './locks.js';

interface AsyncLockLike {
  acquire(blocking?: boolean, timeout?: number | null): unknown;
  release(): unknown;
}

/** A lock-like the server does not own (a proxy of another manager, a @mp/sync Lock...). */
export class ForeignLock implements ServerLockLike {
  readonly #lock: AsyncLockLike;
  #owner: Caller | null = null;
  #depth = 0;

  constructor(lock: AsyncLockLike) {
    this.#lock = lock;
  }
  async acquireAs(caller: Caller, blocking: boolean, timeout: number | null): Promise<boolean> {
    const ok = Boolean(await this.#lock.acquire(blocking, timeout));
    if (ok) {
      if (this.#owner?.id === caller.id) this.#depth++;
      else {
        this.#owner = caller;
        this.#depth = 1;
      }
    }
    return ok;
  }
  releaseAs(caller: Caller): void {
    if (this.#owner?.id === caller.id && --this.#depth === 0) this.#owner = null;
    void Promise.resolve(this.#lock.release()).catch(() => {});
  }
  isOwnedBy(caller: Caller): boolean {
    return this.#owner?.id === caller.id;
  }
  releaseSave(caller: Caller): number {
    const depth = this.#depth;
    for (let i = 0; i < depth; i++) this.releaseAs(caller);
    return depth;
  }
  async acquireRestore(caller: Caller, saved: number): Promise<void> {
    for (let i = 0; i < Math.max(1, saved); i++) await this.acquireAs(caller, true, null);
  }
  toString(): string {
    return String(this.#lock);
  }
}

export class ConditionReferent {
  readonly lock: ServerLockLike;
  readonly waiters = new WaitQueue();

  constructor(lock?: ServerLockLike | null) {
    this.lock = lock ?? new RLockReferent();
  }

  acquire(blocking?: boolean | null, timeout?: number | null): boolean | Promise<boolean> {
    return this.lock.acquireAs(currentCaller(), blockingOf(blocking), timeoutOf(timeout));
  }
  release(): void {
    this.lock.releaseAs(currentCaller());
  }
  async wait(timeout?: number | null): Promise<boolean> {
    const me = currentCaller();
    const ms = timeoutOf(timeout);
    if (!this.lock.isOwnedBy(me)) throw new NotAcquiredError('cannot wait on un-acquired lock: acquire() the Condition first');
    const saved = this.lock.releaseSave(me);
    let notified = false;
    try {
      notified = await this.waiters.wait(ms, me);
    } finally {
      if (!me.signal.aborted) await this.lock.acquireRestore(me, saved);
    }
    return notified;
  }
  notify(n = 1): void {
    if (!this.lock.isOwnedBy(currentCaller())) throw new NotAcquiredError('cannot notify on un-acquired lock: acquire() the Condition first');
    this.waiters.wake(n);
  }
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }
  toString(): string {
    return `<Condition(${String(this.lock)}), ${this.waiters.size}>`;
  }
}
