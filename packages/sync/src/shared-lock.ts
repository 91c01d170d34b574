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
import { runAsync, runSync } from './internal/drive.js';
import { SHARED_LOCK_WORDS } from './internal/layout.js';
import { FALSE, TRUE } from './internal/lock-base.js';
import { ACQUIRED, type AcquireCode, NOT_ACQUIRED, TAKEN_OVER } from './internal/lock-core.js';
import { callSync, defineBrokerOps, remoteAcquire, remoteAcquireSync, warnTakenOver, whoName, whoOf } from './internal/remote.js';
import {
  describeShared,
  exclusiveWait,
  releaseExclusive,
  releaseShared,
  sharedWait,
  tryExclusive,
  tryShared,
} from './internal/rwlock-core.js';
import { heldAsync, heldSync } from './internal/held.js';

type SharedLockMeta = Record<string, never>;

const KIND: SharedKind<SharedLockMeta> = { kind: 'sync.SharedLock', module: import.meta.url, byteLength: () => SHARED_LOCK_WORDS * 4 };

let handleOf!: (l: SharedLock) => Handle<SharedLockMeta>;

type Mode = 'shared' | 'exclusive';

/**
 * A reader/writer lock (the `SharedLock` of Python's `multiprocessing_utils`): any number of
 * processes/threads may hold it **shared** (`acquire()`/`release()`, `withLock(fn)`), one may
 * hold it **exclusive** (`acquireExclusive()`/`releaseExclusive()`, `exclusive(fn)`), never both
 * at once. A waiting exclusive request holds back new shared acquires, so writers are not
 * starved by a stream of readers. A holder that already has it shared may take it shared again.
 *
 * Holders that die are counted out (shared) or taken over (exclusive: {@link SharedLock.ownerDied}).
 *
 * @example
 * ```ts
 * import { SharedLock } from 'multiprocess';
 *
 * const lock = new SharedLock();
 * const read = () => lock.withLock(() => table.get('k'));         // many at once
 * const write = () => lock.exclusive(() => table.set('k', 'v'));  // alone
 * ```
 */
export class SharedLock {
  readonly #h: Handle<SharedLockMeta>;
  readonly #w: Int32Array | null;

  static {
    handleOf = (l) => l.#h;
  }

  /**
   * A new SharedLock, free.
   *
   * @example
   * ```ts
   * const lock = new SharedLock(); // or ctx.SharedLock()
   * ```
   */
  constructor() {
    const h = takeAttaching<SharedLockMeta>() ?? createHandle(KIND, {});
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab) : null;
  }

  #acquire(mode: Mode, blocking: boolean, timeout: number | null | undefined): Promise<boolean> {
    const w = this.#w;
    if (w === null) return remoteAcquire(this.#h as RemoteHandle<SharedLockMeta>, mode, blocking, timeout, () => warnTakenOver(String(this)));
    const code = mode === 'shared' ? tryShared(w, callerToken()) : tryExclusive(w, callerToken());
    if (code === ACQUIRED) return TRUE;
    if (code === NOT_ACQUIRED && !blocking) return FALSE;
    return this.#acquireSlow(w, mode, code, timeout);
  }

  async #acquireSlow(w: Int32Array, mode: Mode, code: AcquireCode, timeout: number | null | undefined): Promise<boolean> {
    const token = callerToken();
    if (code === NOT_ACQUIRED) code = await runAsync(mode === 'shared' ? sharedWait(w, token, new Deadline(timeout)) : exclusiveWait(w, token, new Deadline(timeout)));
    return this.#acquired(code);
  }

  #acquireSync(mode: Mode, blocking: boolean, timeout: number | null | undefined): boolean {
    const w = this.#w;
    if (w === null) return remoteAcquireSync(this.#h as RemoteHandle<SharedLockMeta>, mode, blocking, timeout, () => warnTakenOver(String(this)));
    const token = callerToken();
    let code = mode === 'shared' ? tryShared(w, token) : tryExclusive(w, token);
    if (code === NOT_ACQUIRED && blocking) {
      code = runSync(mode === 'shared' ? sharedWait(w, token, new Deadline(timeout)) : exclusiveWait(w, token, new Deadline(timeout)));
    }
    return this.#acquired(code);
  }

  #acquired(code: AcquireCode): boolean {
    if (code === TAKEN_OVER) warnTakenOver(String(this));
    return code !== NOT_ACQUIRED;
  }

  #release(mode: Mode): void {
    const w = this.#w;
    if (w === null) {
      // Shared and exclusive holds are checked by the broker: a mistake surfaces here, at once.
      callSync(this.#h as RemoteHandle<SharedLockMeta>, mode === 'shared' ? 'release' : 'releaseExclusive', []);
      return;
    }
    if (mode === 'shared') releaseShared(w, callerToken());
    else releaseExclusive(w, callerToken());
  }

  /**
   * Takes the lock **shared**; waits while it is held exclusively or an exclusive request waits.
   *
   * @returns true if acquired (false on timeout / failed non-blocking attempt).
   * @example
   * ```ts
   * await lock.acquire();
   * try { read(); } finally { lock.release(); }
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    return this.#acquire('shared', blocking, timeout);
  }

  /**
   * The blocking twin of {@link acquire}.
   *
   * @example
   * ```ts
   * lock.acquireSync();
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    return this.#acquireSync('shared', blocking, timeout);
  }

  /**
   * Releases one shared hold of the caller ({@link NotAcquiredError} if it has none).
   *
   * @example
   * ```ts
   * lock.release();
   * ```
   */
  release(): void {
    this.#release('shared');
  }

  /**
   * Takes the lock **exclusive**: waits until no one holds it, shared or exclusive.
   *
   * @example
   * ```ts
   * if (await lock.acquireExclusive(true, 1000)) { try { write(); } finally { lock.releaseExclusive(); } }
   * ```
   */
  acquireExclusive(blocking = true, timeout?: number | null): Promise<boolean> {
    return this.#acquire('exclusive', blocking, timeout);
  }

  /**
   * The blocking twin of {@link acquireExclusive}.
   *
   * @example
   * ```ts
   * lock.acquireExclusiveSync();
   * ```
   */
  acquireExclusiveSync(blocking = true, timeout?: number | null): boolean {
    return this.#acquireSync('exclusive', blocking, timeout);
  }

  /**
   * Releases the caller's exclusive hold ({@link NotAcquiredError} if it has none).
   *
   * @example
   * ```ts
   * lock.releaseExclusive();
   * ```
   */
  releaseExclusive(): void {
    this.#release('exclusive');
  }

  /**
   * Python's `with lock:` — runs `fn` holding the lock **shared**; returns its result.
   *
   * @example
   * ```ts
   * const v = await lock.withLock(() => table.get('k'));
   * ```
   */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return heldAsync(() => this.acquire(), () => this.release(), fn);
  }

  /**
   * Python's `with lock.exclusive():` — runs `fn` holding the lock **exclusively**.
   *
   * @example
   * ```ts
   * await lock.exclusive(() => table.set('k', 'v'));
   * ```
   */
  exclusive<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return heldAsync(() => this.acquireExclusive(), () => this.releaseExclusive(), fn);
  }

  /**
   * The blocking twin of {@link withLock}.
   *
   * @example
   * ```ts
   * const v = lock.withLockSync(() => table.get('k'));
   * ```
   */
  withLockSync<T>(fn: () => T): T {
    return heldSync(() => this.acquireSync(), () => this.release(), fn);
  }

  /**
   * The blocking twin of {@link exclusive}.
   *
   * @example
   * ```ts
   * lock.exclusiveSync(() => table.set('k', 'v'));
   * ```
   */
  exclusiveSync<T>(fn: () => T): T {
    return heldSync(() => this.acquireExclusiveSync(), () => this.releaseExclusive(), fn);
  }

  #describe(): [shared: number, who: number, waiting: number, died: boolean] {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<SharedLockMeta>, 'describe', []) as [number, number, number, boolean];
    const [shared, owner, waiting, died] = describeShared(w);
    return [shared, whoOf(owner, callerToken()), waiting, died];
  }

  /**
   * True if the last exclusive holder died holding the lock (it was taken over or cleared);
   * cleared by the next `releaseExclusive()`.
   *
   * @example
   * ```ts
   * await lock.acquireExclusive();
   * if (lock.ownerDied) repair();
   * ```
   */
  get ownerDied(): boolean {
    return this.#describe()[3];
  }

  /**
   * Shared holds, the exclusive holder (as Lock's repr names it) and the exclusive requests
   * waiting: `<SharedLock(shared=2, exclusive=None, waiting=1)>`.
   *
   * @example
   * ```ts
   * String(new SharedLock()); // '<SharedLock(shared=0, exclusive=None, waiting=0)>'
   * ```
   */
  toString(): string {
    const [shared, who, waiting] = this.#describe();
    return `<SharedLock(shared=${shared}, exclusive=${whoName(who)}, waiting=${waiting})>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    const acquireOp =
      (mode: Mode) =>
      function (this: SharedLock, blocking: boolean, timeout: number | null): AcquireCode | Promise<AcquireCode> {
        const w = this.#w!;
        const token = callerToken();
        const code = mode === 'shared' ? tryShared(w, token) : tryExclusive(w, token);
        if (code !== NOT_ACQUIRED || !blocking) return code;
        const deadline = new Deadline(timeout);
        return runAsync(mode === 'shared' ? sharedWait(w, token, deadline) : exclusiveWait(w, token, deadline), callerSignal());
      };
    defineBrokerOps(this, {
      ping: () => null,
      shared: acquireOp('shared'),
      exclusive: acquireOp('exclusive'),
      release(this: SharedLock): null {
        releaseShared(this.#w!, callerToken());
        return null;
      },
      releaseExclusive(this: SharedLock): null {
        releaseExclusive(this.#w!, callerToken());
        return null;
      },
      describe(this: SharedLock): [number, number, number, boolean] {
        return this.#describe();
      },
    });
  }
}

registerSharedClass(SharedLock, KIND, (l) => handleOf(l), (h) => withAttaching(h, () => new SharedLock()));
