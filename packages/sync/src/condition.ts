import {
  callerSignal,
  callerToken,
  createHandle,
  Deadline,
  type Handle,
  registerSharedClass,
  type RemoteHandle,
  type SharedKind,
  takeAttaching,
  withAttaching,
} from '@mp/context/spi';
import { dumps, loads } from '@mp/serialize';
import { BRIEF_DONE, type CondLock, condEnter, condNotify, condWait, condWaitBrief, condWaiters, holdingWakes } from './internal/condition-core.js';
import { runAsync, runSync } from './internal/drive.js';
import { EMBEDDED_LOCK_OPS, embeddedRLock } from './internal/embedded-lock.js';
import { CONDITION_WORDS, LOCK_WORDS } from './internal/layout.js';
import { LockBase, lockInternals } from './internal/lock-base.js';
import { call, callSync, deferNotify, defineBrokerOps, heldHere, takeNotify, wireTimeout } from './internal/remote.js';
import type { Lock } from './lock.js';
import type { RLock } from './rlock.js';

interface ConditionMeta {
  /**
   * A lock given to the constructor, serialized; null for the default RLock, which lives in the
   * segment's first LOCK_WORDS words (see internal/embedded-lock.ts). Meta must be plain data:
   * the broker decodes it when the object is registered, before it has imported this package
   * (it could not revive a Lock there).
   */
  readonly lock: Uint8Array | null;
}

/** The condition's own words start after the embedded lock's. */
const LOCK_BYTES = LOCK_WORDS * 4;

const KIND: SharedKind<ConditionMeta> = {
  kind: 'sync.Condition',
  module: import.meta.url,
  byteLength: () => LOCK_BYTES + CONDITION_WORDS * 4,
};

const FOREVER = new Deadline(null);

/** How long a spawned process's `wait()` may block its thread before waiting asynchronously. */
const BRIEF_MS = 2;

let handleOf!: (c: Condition) => Handle<ConditionMeta>;

/**
 * A condition variable (Python's `multiprocessing.Condition`) over a Lock or RLock (a new RLock
 * by default). With the lock held, `wait()` releases it, sleeps until `notify()`/`notifyAll()`
 * (or the timeout), and reacquires it.
 *
 * `notify(n)` wakes exactly the n oldest waiters; a waiter that times out never swallows a
 * notification; a waiter that dies after being notified, before returning from `wait()`, hands
 * its notification on to another waiter. Up to 256 processes/threads may wait at once.
 *
 * @example
 * ```ts
 * import { Condition, Process } from 'multiprocess';
 *
 * const cond = new Condition();
 * const p = new Process({
 *   target: async (c: Condition) => c.withLock(() => c.notify()),
 *   args: [cond],
 * });
 * await cond.acquire();
 * await p.start();
 * await cond.wait(5000); // true: the child notified
 * cond.release();
 * await p.join();
 * ```
 */
export class Condition {
  readonly #h: Handle<ConditionMeta>;
  readonly #w: Int32Array | null;
  readonly #lock: Lock | RLock;
  /** The lock's words, when this isolate maps them. */
  readonly #cl: CondLock | null;

  static {
    handleOf = (c) => c.#h;
  }

  /**
   * @param lock - the lock to use (a {@link Lock} or {@link RLock}); a new RLock if omitted.
   * @example
   * ```ts
   * const cond = new Condition(new Lock()); // or ctx.Condition()
   * ```
   */
  constructor(lock?: Lock | RLock | null) {
    const attaching = takeAttaching<ConditionMeta>();
    if (attaching === null && lock !== undefined && lock !== null && !(lock instanceof LockBase)) {
      throw new TypeError('Condition(lock): lock must be a Lock or an RLock of multiprocess');
    }
    const given = attaching === null ? (lock ?? null) : null;
    const h = attaching ?? createHandle(KIND, { lock: given === null ? null : dumps(given) });
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab, LOCK_BYTES) : null;
    this.#lock = given ?? (h.meta.lock === null ? embeddedRLock(h) : loads<Lock | RLock>(h.meta.lock));
    const internals = lockInternals(this.#lock);
    this.#cl = internals.words === null ? null : { w: internals.words, reentrant: internals.reentrant };
  }

  #condLock(): CondLock {
    if (this.#cl === null) throw new ReferenceError('internal error: a local Condition with a remote lock');
    return this.#cl;
  }

  /**
   * Acquires the underlying lock (see {@link Lock.acquire}).
   *
   * @example
   * ```ts
   * await cond.acquire();
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    return this.#lock.acquire(blocking, timeout);
  }

  /**
   * The blocking twin of {@link acquire}.
   *
   * @example
   * ```ts
   * cond.acquireSync();
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    return this.#lock.acquireSync(blocking, timeout);
  }

  /**
   * Releases the underlying lock.
   *
   * @example
   * ```ts
   * cond.release();
   * ```
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Python's `with cond:` — holds the lock while `fn` runs; returns its result.
   *
   * @example
   * ```ts
   * await cond.withLock(async () => { items.push(x); cond.notify(); });
   * ```
   */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return this.#lock.withLock(fn);
  }

  /**
   * The blocking twin of {@link withLock}.
   *
   * @example
   * ```ts
   * cond.withLockSync(() => cond.notifyAll());
   * ```
   */
  withLockSync<T>(fn: () => T): T {
    return this.#lock.withLockSync(fn);
  }

  /**
   * Releases the lock, waits for a notification or `timeout` ms (`undefined`/`null` = forever),
   * then reacquires the lock (however long that takes). The caller must hold the lock
   * ({@link NotAcquiredError} otherwise).
   *
   * @returns false if it timed out, true if notified.
   * @example
   * ```ts
   * await cond.acquire();
   * while (!ready()) await cond.wait();
   * cond.release();
   * ```
   */
  async wait(timeout?: number | null): Promise<boolean> {
    const w = this.#w;
    if (w === null) {
      // A spawned process blocks for at most BRIEF_MS on the sync channel (a partner that
      // answers at once costs one round trip), then waits asynchronously for the rest.
      const h = this.#h as RemoteHandle<ConditionMeta>;
      const deadline = new Deadline(timeout);
      const [code, value] = callSync(h, 'waitBrief', [takeNotify(h), wireTimeout(timeout), BRIEF_MS]) as [number, number];
      if (code === BRIEF_DONE) return value === 1;
      const limited = timeout !== undefined && timeout !== null;
      return (await call(h, 'waitSlot', [value, limited ? deadline.remaining() : null])) as boolean;
    }
    const deadline = new Deadline(timeout);
    const token = callerToken();
    const lock = this.#condLock();
    const slot = condEnter(w, lock, token);
    return runAsync(condWait(w, lock, token, slot, deadline, FOREVER));
  }

  /**
   * The blocking twin of {@link wait}.
   *
   * @example
   * ```ts
   * cond.acquireSync();
   * cond.waitSync(1000);
   * cond.release();
   * ```
   */
  waitSync(timeout?: number | null): boolean {
    const w = this.#w;
    if (w === null) {
      const h = this.#h as RemoteHandle<ConditionMeta>;
      const n = takeNotify(h);
      return callSync(h, n > 0 ? 'notifyWait' : 'wait', n > 0 ? [n, wireTimeout(timeout)] : [wireTimeout(timeout)]) as boolean;
    }
    const deadline = new Deadline(timeout);
    const token = callerToken();
    const lock = this.#condLock();
    const slot = condEnter(w, lock, token);
    return runSync(condWait(w, lock, token, slot, deadline, FOREVER));
  }

  /**
   * Waits until `predicate()` is truthy (Python's `wait_for`), re-checking it after each
   * notification; with a `timeout` (ms), gives up after it. The caller must hold the lock.
   *
   * @returns the last value of `predicate()` (falsy on timeout).
   * @example
   * ```ts
   * await cond.withLock(() => cond.waitFor(() => state.value === 4, 1000));
   * ```
   */
  async waitFor<T>(predicate: () => T | PromiseLike<T>, timeout?: number | null): Promise<T> {
    let result = await predicate();
    if (result) return result;
    const deadline = new Deadline(timeout);
    const limited = timeout !== undefined && timeout !== null;
    while (!result) {
      if (limited && deadline.expired()) break;
      await this.wait(limited ? deadline.remaining() : null);
      result = await predicate();
    }
    return result;
  }

  /**
   * The blocking twin of {@link waitFor}.
   *
   * @example
   * ```ts
   * cond.withLockSync(() => cond.waitForSync(() => queue.length > 0));
   * ```
   */
  waitForSync<T>(predicate: () => T, timeout?: number | null): T {
    let result = predicate();
    if (result) return result;
    const deadline = new Deadline(timeout);
    const limited = timeout !== undefined && timeout !== null;
    while (!result) {
      if (limited && deadline.expired()) break;
      this.waitSync(limited ? deadline.remaining() : null);
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (default 1), oldest first. The caller must hold the lock.
   *
   * @example
   * ```ts
   * await cond.withLock(() => cond.notify(2));
   * ```
   */
  notify(n = 1): void {
    const w = this.#w;
    if (w !== null) {
      condNotify(w, this.#condLock(), callerToken(), n);
      return;
    }
    const h = this.#h as RemoteHandle<ConditionMeta>;
    // Known to hold the lock here: deferred, fire and forget (see internal/remote.ts).
    if (heldHere(lockInternals(this.#lock).handle as RemoteHandle<unknown>) > 0 && n > 0) deferNotify(h, n);
    else callSync(h, 'notify', [n]);
  }

  /**
   * Wakes every waiter (Python's `notify_all`). The caller must hold the lock.
   *
   * @example
   * ```ts
   * await cond.withLock(() => cond.notifyAll());
   * ```
   */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /**
   * The repr of the contract: `<Condition(<RLock(None, 0)>), 0>` — the lock's repr, then the
   * number of waiters.
   *
   * @example
   * ```ts
   * String(new Condition()); // '<Condition(<RLock(None, 0)>), 0>'
   * ```
   */
  toString(): string {
    const w = this.#w;
    const waiters = w === null ? (callSync(this.#h as RemoteHandle<ConditionMeta>, 'waiters', []) as number) : condWaiters(w);
    return `<Condition(${String(this.#lock)}), ${waiters}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    const forward = (op: string) =>
      function (this: Condition, ...args: unknown[]): unknown {
        const fn = (this.#lock as unknown as Record<string, (...a: unknown[]) => unknown>)[`mp:${op}`]!;
        return fn.apply(this.#lock, args);
      };
    defineBrokerOps(this, Object.fromEntries(EMBEDDED_LOCK_OPS.map((op) => [`lock.${op}`, forward(op)])));
    defineBrokerOps(this, {
      ping: () => null,
      notifyWait(this: Condition, n: number, timeout: number | null): Promise<boolean> {
        const w = this.#w!;
        const lock = this.#condLock();
        const token = callerToken();
        const deadline = new Deadline(timeout);
        const slot = holdingWakes(w, () => {
          condNotify(w, lock, token, n);
          return condEnter(w, lock, token);
        });
        return runAsync(condWait(w, lock, token, slot, deadline, FOREVER), callerSignal());
      },
      waitBrief(this: Condition, n: number, timeout: number | null, briefMs: number): [number, number] | Promise<[number, number]> {
        const w = this.#w!;
        const lock = this.#condLock();
        const token = callerToken();
        const deadline = new Deadline(timeout);
        const slot = holdingWakes(w, () => {
          if (n > 0) condNotify(w, lock, token, n);
          return condEnter(w, lock, token);
        });
        return runAsync(condWaitBrief(w, lock, token, slot, deadline, new Deadline(briefMs)), callerSignal());
      },
      waitSlot(this: Condition, slot: number, timeout: number | null): Promise<boolean> {
        const token = callerToken();
        return runAsync(condWait(this.#w!, this.#condLock(), token, slot, new Deadline(timeout), FOREVER), callerSignal());
      },
      wait(this: Condition, timeout: number | null): Promise<boolean> {
        const w = this.#w!;
        const deadline = new Deadline(timeout);
        const token = callerToken();
        const lock = this.#condLock();
        const slot = condEnter(w, lock, token);
        return runAsync(condWait(w, lock, token, slot, deadline, FOREVER), callerSignal());
      },
      notify(this: Condition, n: number): null {
        condNotify(this.#w!, this.#condLock(), callerToken(), n);
        return null;
      },
      waiters(this: Condition): number {
        return condWaiters(this.#w!);
      },
    });
  }
}

registerSharedClass(Condition, KIND, (c) => handleOf(c), (h) => withAttaching(h, () => new Condition()));
