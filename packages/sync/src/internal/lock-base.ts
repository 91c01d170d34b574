/**
 * What Lock and RLock share: the handle, the fast paths, the remote paths and the broker-side
 * operations. The algorithms are in lock-core.ts.
 */
import { callerSignal, callerToken, createHandle, Deadline, type Handle, type RemoteHandle, type SharedKind, takeAttaching } from '@mp/context/spi';
import { runAsync, runSync } from './drive.js';
import { L_COUNT, L_OWNER, LOCK_WORDS } from './layout.js';
import {
  ACQUIRED,
  type AcquireCode,
  countOf,
  lockWait,
  NOT_ACQUIRED,
  ownerDied,
  ownerOf,
  runlock,
  TAKEN_OVER,
  tryLock,
  unlock,
} from './lock-core.js';
import {
  addHeld,
  callSync,
  defineBrokerOps,
  heldHere,
  remoteAcquire,
  remoteAcquireSync,
  send,
  warnTakenOver,
  whoOf,
} from './remote.js';
import { myToken } from './token.js';
import { heldAsync, heldSync } from './held.js';

export type LockMeta = Record<string, never>;

export function lockKind(kind: string, module: string): SharedKind<LockMeta> {
  return { kind, module, byteLength: () => LOCK_WORDS * 4 };
}

export const TRUE: Promise<boolean> = Promise.resolve(true);
export const FALSE: Promise<boolean> = Promise.resolve(false);

/** What a Condition needs to know about its lock. */
export interface LockInternals {
  readonly handle: Handle<LockMeta>;
  /** The lock's words, where this isolate can map them (null in a spawned process). */
  readonly words: Int32Array | null;
  readonly reentrant: boolean;
}

let internalsOf!: (lock: LockBase) => LockInternals;

/** The internals of a Lock or RLock (for Condition and for registration). */
export function lockInternals(lock: LockBase): LockInternals {
  return internalsOf(lock);
}

/** Lock and RLock. Not exported: use one of them. */
export abstract class LockBase {
  readonly #h: Handle<LockMeta>;
  readonly #w: Int32Array | null;
  readonly #reentrant: boolean;

  static {
    internalsOf = (lock) => ({ handle: lock.#h, words: lock.#w, reentrant: lock.#reentrant });
  }

  protected constructor(kind: SharedKind<LockMeta>, reentrant: boolean) {
    const h = takeAttaching<LockMeta>() ?? createHandle(kind, {});
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab) : null;
    this.#reentrant = reentrant;
  }

  /**
   * Acquires the lock. With `blocking` false, tries once and never waits. With a `timeout` in
   * milliseconds (`undefined`/`null` = forever, negative = 0), gives up after it.
   *
   * @returns true if acquired, false on timeout or when a non-blocking attempt failed.
   * @example
   * ```ts
   * if (await lock.acquire(true, 500)) {
   *   try { work(); } finally { lock.release(); }
   * }
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    const w = this.#w;
    if (w === null) return remoteAcquire(this.#h as RemoteHandle<LockMeta>, 'acquire', blocking, timeout, () => warnTakenOver(String(this)));
    const token = myToken();
    if (Atomics.compareExchange(w, L_OWNER, 0, token) === 0) {
      if (this.#reentrant) w[L_COUNT] = 1; // owner-only word: a plain store (see lock-core.ts)
      return TRUE;
    }
    const code = tryLock(w, 0, token, this.#reentrant);
    if (code === ACQUIRED) return TRUE;
    if (code === NOT_ACQUIRED && !blocking) return FALSE;
    return this.#acquireSlow(w, code, timeout);
  }

  async #acquireSlow(w: Int32Array, code: AcquireCode, timeout: number | null | undefined): Promise<boolean> {
    if (code === NOT_ACQUIRED) code = await runAsync(lockWait(w, 0, myToken(), this.#reentrant, new Deadline(timeout)));
    return this.#acquired(code);
  }

  /**
   * The blocking twin of {@link acquire}, for CPU-bound code (blocks this thread).
   *
   * @example
   * ```ts
   * lock.acquireSync();
   * try { counter[0]++; } finally { lock.release(); }
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    const w = this.#w;
    if (w === null) return remoteAcquireSync(this.#h as RemoteHandle<LockMeta>, 'acquire', blocking, timeout, () => warnTakenOver(String(this)));
    const token = myToken();
    if (Atomics.compareExchange(w, L_OWNER, 0, token) === 0) {
      if (this.#reentrant) w[L_COUNT] = 1; // owner-only word: a plain store (see lock-core.ts)
      return true;
    }
    let code = tryLock(w, 0, token, this.#reentrant);
    if (code === ACQUIRED) return true;
    if (code === NOT_ACQUIRED && blocking) code = runSync(lockWait(w, 0, token, this.#reentrant, new Deadline(timeout)));
    return this.#acquired(code);
  }

  #acquired(code: AcquireCode): boolean {
    if (code === TAKEN_OVER) warnTakenOver(String(this));
    return code !== NOT_ACQUIRED;
  }

  /**
   * Releases the lock. Releasing an unheld Lock, or an RLock the caller does not own, throws a
   * {@link NotAcquiredError}.
   *
   * @example
   * ```ts
   * await lock.acquire();
   * lock.release();
   * ```
   */
  release(): void {
    const w = this.#w;
    if (w !== null) {
      if (this.#reentrant) runlock(w, 0, myToken());
      else unlock(w, 0);
      return;
    }
    const h = this.#h as RemoteHandle<LockMeta>;
    if (heldHere(h) > 0) {
      addHeld(h, -1);
      send(h, 'release', []);
    } else {
      callSync(h, 'release', []);
    }
  }

  /**
   * Python's `with lock:` — acquires, runs `fn` (sync or async), releases in `finally`, and
   * returns what `fn` returned.
   *
   * @example
   * ```ts
   * const total = await lock.withLock(async () => { counter.value += 1; return counter.value; });
   * ```
   */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return heldAsync(() => this.acquire(), () => this.release(), fn);
  }

  /**
   * The blocking twin of {@link withLock} for a synchronous `fn`.
   *
   * @example
   * ```ts
   * const n = lock.withLockSync(() => ++shared[0]);
   * ```
   */
  withLockSync<T>(fn: () => T): T {
    return heldSync(() => this.acquireSync(), () => this.release(), fn);
  }

  /**
   * True while the current holding was taken over from a holder that died without releasing
   * (a killed process, a terminated thread): check the state the lock protected. Cleared by
   * `release()`.
   *
   * @example
   * ```ts
   * await lock.acquire();
   * if (lock.ownerDied) repairSharedState();
   * ```
   */
  get ownerDied(): boolean {
    const w = this.#w;
    if (w !== null) return ownerDied(w, 0);
    return (callSync(this.#h as RemoteHandle<LockMeta>, 'describe', []) as [number, number, boolean])[2];
  }

  /** [who (see remote.ts), count, ownerDied] as seen by the caller. */
  protected describe(): [who: number, count: number, died: boolean] {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<LockMeta>, 'describe', []) as [number, number, boolean];
    return [whoOf(ownerOf(w, 0), callerToken()), countOf(w, 0), ownerDied(w, 0)];
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    defineBrokerOps(this, {
      ping: () => null,
      acquire(this: LockBase, blocking: boolean, timeout: number | null): AcquireCode | Promise<AcquireCode> {
        const w = this.#w!;
        const token = callerToken();
        const code = tryLock(w, 0, token, this.#reentrant);
        if (code !== NOT_ACQUIRED || !blocking) return code;
        return runAsync(lockWait(w, 0, token, this.#reentrant, new Deadline(timeout)), callerSignal());
      },
      release(this: LockBase): null {
        if (this.#reentrant) runlock(this.#w!, 0, callerToken());
        else unlock(this.#w!, 0);
        return null;
      },
      describe(this: LockBase): [number, number, boolean] {
        return this.describe();
      },
    });
  }
}
