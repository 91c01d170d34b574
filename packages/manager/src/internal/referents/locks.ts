/**
 * Server-side Lock, RLock, Semaphore and BoundedSemaphore: Python's `threading` primitives as a
 * manager's server holds them, over the server's single-threaded event loop.
 *
 * State and invariants:
 * - Lock: `owner` is null when unlocked. Any caller may release (as `threading.Lock`).
 *   A release with waiters hands the lock over (it stays locked, the owner becomes the woken
 *   waiter), so a newcomer cannot overtake the waiters. Waiters whose caller went away or whose
 *   timeout expired have already left the queue (see WaitQueue).
 * - RLock: `owner` + `count`; only the owner releases; `count` is 0 iff `owner` is null.
 * - Semaphore: `value` ≥ 0 free units; a release with waiters hands its unit straight to one.
 * The `…As(caller, …)` methods take the caller explicitly; the Condition uses them.
 */

import { NotAcquiredError, TooManyReleasesError } from '@mp/sync';
import { type Caller, currentCaller } from '../caller.js';
import { timeoutOf, WaitQueue } from '../wait-queue.js';

/** What a Condition needs from its lock. */
export interface ServerLockLike {
  acquireAs(caller: Caller, blocking: boolean, timeout: number | null): boolean | Promise<boolean>;
  releaseAs(caller: Caller): void;
  isOwnedBy(caller: Caller): boolean;
  /** Releases completely (an RLock at any depth); returns what `acquireRestore` needs. */
  releaseSave(caller: Caller): number;
  acquireRestore(caller: Caller, saved: number): Promise<void>;
}

export function blockingOf(blocking: unknown): boolean {
  return blocking === undefined || blocking === null ? true : Boolean(blocking);
}

export class LockReferent implements ServerLockLike {
  owner: Caller | null = null;
  readonly waiters = new WaitQueue();

  acquire(blocking?: boolean | null, timeout?: number | null): boolean | Promise<boolean> {
    return this.acquireAs(currentCaller(), blockingOf(blocking), timeoutOf(timeout));
  }
  release(): void {
    this.releaseAs(currentCaller());
  }
  locked(): boolean {
    return this.owner !== null;
  }

  acquireAs(caller: Caller, blocking: boolean, timeout: number | null): boolean | Promise<boolean> {
    if (this.owner === null) {
      this.owner = caller;
      return true;
    }
    if (!blocking) return false;
    return this.waiters.wait(timeout, caller);
  }
  releaseAs(_caller: Caller): void {
    if (this.owner === null) throw new NotAcquiredError('release unlocked lock: this Lock is not held. Call release() once for each successful acquire().');
    this.owner = this.waiters.wakeOne();
  }
  isOwnedBy(_caller: Caller): boolean {
    // Python's Condition over a plain Lock: "owned" means locked (by anyone).
    return this.owner !== null;
  }
  releaseSave(caller: Caller): number {
    this.releaseAs(caller);
    return 1;
  }
  async acquireRestore(caller: Caller, _saved: number): Promise<void> {
    await this.acquireAs(caller, true, null);
  }
  toString(): string {
    return `<Lock(owner=${this.owner === null ? 'None' : this.owner.name})>`;
  }
}

export class RLockReferent implements ServerLockLike {
  owner: Caller | null = null;
  count = 0;
  readonly waiters = new WaitQueue();

  acquire(blocking?: boolean | null, timeout?: number | null): boolean | Promise<boolean> {
    return this.acquireAs(currentCaller(), blockingOf(blocking), timeoutOf(timeout));
  }
  release(): void {
    this.releaseAs(currentCaller());
  }

  acquireAs(caller: Caller, blocking: boolean, timeout: number | null): boolean | Promise<boolean> {
    if (this.owner === null) {
      this.owner = caller;
      this.count = 1;
      return true;
    }
    if (this.owner.id === caller.id) {
      this.count++;
      return true;
    }
    if (!blocking) return false;
    return this.waiters.wait(timeout, caller);
  }
  releaseAs(caller: Caller): void {
    if (this.owner === null || this.owner.id !== caller.id) {
      throw new NotAcquiredError('cannot release un-acquired lock: this RLock is held by another process or thread (or by nobody); only its owner releases it');
    }
    if (--this.count > 0) return;
    this.#handOver(1);
  }
  #handOver(count: number): void {
    const next = this.waiters.wakeOne();
    this.owner = next;
    this.count = next === null ? 0 : count;
  }
  isOwnedBy(caller: Caller): boolean {
    return this.owner !== null && this.owner.id === caller.id;
  }
  releaseSave(caller: Caller): number {
    if (!this.isOwnedBy(caller)) throw new NotAcquiredError('cannot release un-acquired lock');
    const saved = this.count;
    this.#handOver(1);
    return saved;
  }
  async acquireRestore(caller: Caller, saved: number): Promise<void> {
    await this.acquireAs(caller, true, null);
    this.count = saved;
  }
  toString(): string {
    return this.owner === null ? '<RLock(None, 0)>' : `<RLock(${this.owner.name}, ${this.count})>`;
  }
}

export class SemaphoreReferent {
  value: number;
  readonly max: number | null;
  readonly waiters = new WaitQueue();

  constructor(value: unknown = 1, bounded = false) {
    const v = value === undefined || value === null ? 1 : value;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`semaphore initial value must be an integer, not ${String(v)}`);
    if (v < 0) throw new RangeError('semaphore initial value must be >= 0');
    this.value = v;
    this.max = bounded ? v : null;
  }

  acquire(blocking?: boolean | null, timeout?: number | null): boolean | Promise<boolean> {
    if (this.value > 0) {
      this.value--;
      return true;
    }
    if (!blockingOf(blocking)) return false;
    return this.waiters.wait(timeoutOf(timeout), currentCaller());
  }
  release(n = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError('release(n): n must be one or more');
    if (this.max !== null && this.value + n > this.max) {
      throw new TooManyReleasesError(`Semaphore released too many times: this BoundedSemaphore is already at its maximum value ${this.max}. Release only units you acquired.`);
    }
    for (let i = 0; i < n; i++) if (this.waiters.wakeOne() === null) this.value++;
  }
  getValue(): number {
    return this.value;
  }
  toString(): string {
    return this.max === null ? `<Semaphore(value=${this.value})>` : `<BoundedSemaphore(value=${this.value}, maxvalue=${this.max})>`;
  }
}

