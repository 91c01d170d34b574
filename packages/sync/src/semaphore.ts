import { ValueError } from '@mp/context';
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
import { S_RECLAIMED, S_VALUE, SEMAPHORE_WORDS } from './internal/layout.js';
import { FALSE, TRUE } from './internal/lock-base.js';
import { ACQUIRED, NOT_ACQUIRED, TAKEN_OVER } from './internal/lock-core.js';
import {
  addHeld,
  callSync,
  defineBrokerOps,
  heldHere,
  remoteAcquire,
  remoteAcquireSync,
  send,
  warnReclaimed,
} from './internal/remote.js';
import { semReclaim, semRelease, semValue, semWait, trySem } from './internal/semaphore-core.js';
import { heldAsync, heldSync } from './internal/held.js';

interface SemaphoreMeta {
  readonly value: number;
  readonly bounded: boolean;
}

const KIND: SharedKind<SemaphoreMeta> = {
  kind: 'sync.Semaphore',
  module: import.meta.url,
  byteLength: () => SEMAPHORE_WORDS * 4,
  init: (sab, meta) => {
    new Int32Array(sab)[S_VALUE] = meta.value;
  },
};

let handleOf!: (s: Semaphore) => Handle<SemaphoreMeta>;

/**
 * A counting semaphore (Python's `multiprocessing.Semaphore`): `acquire()` takes a unit, waiting
 * while there is none; `release()` gives one back (anyone may release, as in Python).
 *
 * Units held by a process or thread that dies are given back (never above the initial value,
 * so a `Semaphore(0)` used for signalling invents no signals); {@link Semaphore.reclaimed} counts
 * them, and the multiprocess logger warns.
 *
 * @example
 * ```ts
 * import { Process, Semaphore } from 'multiprocess';
 *
 * const pool = new Semaphore(2); // at most two workers in the section at once
 * const work = async (sem: Semaphore, id: number) => sem.withLock(() => console.log('worker', id));
 * const ps = [0, 1, 2].map((id) => new Process({ target: work, args: [pool, id] }));
 * for (const p of ps) await p.start();
 * for (const p of ps) await p.join();
 * ```
 */
export class Semaphore {
  readonly #h: Handle<SemaphoreMeta>;
  readonly #w: Int32Array | null;
  readonly #max: number;

  static {
    handleOf = (s) => s.#h;
  }

  /**
   * @param value - the initial number of units (≥ 0; default 1).
   * @example
   * ```ts
   * const sem = new Semaphore(3); // or ctx.Semaphore(3)
   * ```
   */
  constructor(value = 1) {
    const attaching = takeAttaching<SemaphoreMeta>();
    const bounded = isBounded(new.target);
    if (attaching === null && (!Number.isInteger(value) || value < 0 || value > 0x7fffffff)) {
      throw new ValueError(`semaphore initial value must be an integer >= 0, not ${String(value)}`);
    }
    const h = attaching ?? createHandle(KIND, { value, bounded });
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab) : null;
    this.#max = h.meta.bounded ? h.meta.value : -1;
  }

  /**
   * Takes one unit, waiting for one if needed (`blocking` false: never wait; `timeout` in ms,
   * `undefined`/`null` = forever).
   *
   * @returns true if a unit was taken.
   * @example
   * ```ts
   * if (await sem.acquire(true, 1000)) { try { use(); } finally { sem.release(); } }
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    const w = this.#w;
    if (w === null) return remoteAcquire(this.#h as RemoteHandle<SemaphoreMeta>, 'acquire', blocking, timeout, () => warnReclaimed(String(this)));
    if (trySem(w, callerToken())) return TRUE;
    if (!blocking) return this.#tryReclaim(w) ? TRUE : FALSE;
    return this.#acquireSlow(w, timeout);
  }

  async #acquireSlow(w: Int32Array, timeout: number | null | undefined): Promise<boolean> {
    return this.#acquired(await runAsync(semWait(w, callerToken(), this.#h.meta.value, new Deadline(timeout))));
  }

  /**
   * The blocking twin of {@link acquire}.
   *
   * @example
   * ```ts
   * sem.acquireSync();
   * try { use(); } finally { sem.release(); }
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    const w = this.#w;
    if (w === null) return remoteAcquireSync(this.#h as RemoteHandle<SemaphoreMeta>, 'acquire', blocking, timeout, () => warnReclaimed(String(this)));
    const token = callerToken();
    if (trySem(w, token)) return true;
    if (!blocking) return this.#tryReclaim(w);
    return this.#acquired(runSync(semWait(w, token, this.#h.meta.value, new Deadline(timeout))));
  }

  /** A failed non-blocking attempt: give back what dead holders had, and try once more. */
  #tryReclaim(w: Int32Array): boolean {
    const units = semReclaim(w, this.#h.meta.value);
    if (units === 0) return false;
    warnReclaimed(String(this), units);
    return trySem(w, callerToken());
  }

  #acquired(code: number): boolean {
    if (code > 1) warnReclaimed(String(this), code - 1);
    return code > 0;
  }

  /**
   * Gives one unit back and wakes one waiter. A BoundedSemaphore released above its initial
   * value throws {@link TooManyReleasesError}.
   *
   * @example
   * ```ts
   * sem.release();
   * ```
   */
  release(): void {
    const w = this.#w;
    if (w !== null) {
      semRelease(w, callerToken(), this.#max, this.constructor.name);
      return;
    }
    const h = this.#h as RemoteHandle<SemaphoreMeta>;
    // A plain Semaphore's release cannot fail; a bounded one that this process holds a unit of
    // cannot either (as long as releases match acquires): no round trip for those.
    if (this.#max < 0 || heldHere(h) > 0) {
      if (heldHere(h) > 0) addHeld(h, -1);
      send(h, 'release', []);
    } else {
      callSync(h, 'release', []);
    }
  }

  /**
   * Python's `with sem:` — takes a unit, runs `fn`, gives it back in `finally`; returns `fn`'s result.
   *
   * @example
   * ```ts
   * await sem.withLock(async () => { await useTheResource(); });
   * ```
   */
  withLock<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    return heldAsync(() => this.acquire(), () => this.release(), fn);
  }

  /**
   * The blocking twin of {@link withLock}.
   *
   * @example
   * ```ts
   * sem.withLockSync(() => useTheResourceSync());
   * ```
   */
  withLockSync<T>(fn: () => T): T {
    return heldSync(() => this.acquireSync(), () => this.release(), fn);
  }

  /**
   * The number of units available now (Python's `get_value()`), after giving back the units of
   * dead holders.
   *
   * @example
   * ```ts
   * new Semaphore(2).getValue(); // 2
   * ```
   */
  getValue(): number {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<SemaphoreMeta>, 'value', []) as number;
    const units = semReclaim(w, this.#h.meta.value);
    if (units > 0) warnReclaimed(String(this), units);
    return semValue(w);
  }

  /**
   * How many units were given back from holders that died, since creation.
   *
   * @example
   * ```ts
   * if (sem.reclaimed > 0) console.log('a worker died holding a unit');
   * ```
   */
  get reclaimed(): number {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<SemaphoreMeta>, 'reclaimed', []) as number;
    return Atomics.load(w, S_RECLAIMED);
  }

  /**
   * Python's repr: `<Semaphore(value=2)>`; `<BoundedSemaphore(value=1, maxvalue=2)>`.
   *
   * @example
   * ```ts
   * String(new Semaphore(2)); // '<Semaphore(value=2)>'
   * ```
   */
  toString(): string {
    const value = this.getValue();
    return this.#max >= 0 ? `<BoundedSemaphore(value=${value}, maxvalue=${this.#max})>` : `<Semaphore(value=${value})>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    defineBrokerOps(this, {
      ping: () => null,
      acquire(this: Semaphore, blocking: boolean, timeout: number | null): number | Promise<number> {
        const w = this.#w!;
        const token = callerToken();
        if (trySem(w, token)) return ACQUIRED;
        if (!blocking) return semReclaim(w, this.#h.meta.value) > 0 && trySem(w, token) ? TAKEN_OVER : NOT_ACQUIRED;
        return runAsync(semWait(w, token, this.#h.meta.value, new Deadline(timeout)), callerSignal()).then((code) =>
          code === 0 ? NOT_ACQUIRED : code === 1 ? ACQUIRED : TAKEN_OVER,
        );
      },
      release(this: Semaphore): null {
        semRelease(this.#w!, callerToken(), this.#max, this.#max >= 0 ? 'BoundedSemaphore' : 'Semaphore');
        return null;
      },
      value(this: Semaphore): number {
        return this.getValue();
      },
      reclaimed(this: Semaphore): number {
        return this.reclaimed;
      },
    });
  }
}

const BOUNDED = Symbol('bounded');

function isBounded(cls: unknown): boolean {
  return (cls as Record<symbol, unknown>)[BOUNDED] === true;
}

/**
 * A semaphore that cannot be released above its initial value (Python's
 * `multiprocessing.BoundedSemaphore`): an extra `release()` throws {@link TooManyReleasesError}
 * ("Semaphore released too many times"). Use it for pools of resources.
 *
 * @example
 * ```ts
 * import { BoundedSemaphore } from 'multiprocess';
 *
 * const slots = new BoundedSemaphore(2);
 * await slots.acquire();
 * slots.release();
 * slots.release(); // throws TooManyReleasesError
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal Marks the class bounded (checked on revival in another process). */
  static readonly [BOUNDED] = true;

  /**
   * @param value - the initial and maximum number of units (default 1).
   * @example
   * ```ts
   * const slots = new BoundedSemaphore(4); // or ctx.BoundedSemaphore(4)
   * ```
   */
  constructor(value = 1) {
    super(value);
  }
}

registerSharedClass(Semaphore, KIND, (s) => handleOf(s), (h) =>
  withAttaching(h, () => (h.meta.bounded ? new BoundedSemaphore(h.meta.value) : new Semaphore(h.meta.value))),
);
