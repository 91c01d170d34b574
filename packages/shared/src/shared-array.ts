import { RLock } from '@mp/sync';
import { ArrayBase, type ArrayObj, arrayObj, create } from './array-base.js';
import { callable } from './internal/callable.js';
import { codeInfo } from './internal/codes.js';
import { ARRAY, attachedCells, registerClass } from './internal/kinds.js';
import { lockOption } from './internal/options.js';
import { cellsOf } from './internal/registry.js';
import { pyArrayObject } from './internal/repr.js';
import type { LockLike } from './lock-like.js';
import { type RawSharedArray, RawSharedArrayImpl } from './raw-shared-array.js';
import type { ArrayInitializer, Typecode } from './typecodes.js';

/** Implementation of {@link SharedArray}: Python's `SynchronizedArray` / `SynchronizedString`. */
class SynchronizedArray<T extends Typecode = Typecode> extends ArrayBase<T> {
  constructor(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: boolean | LockLike | null } | boolean | LockLike) {
    let c = attachedCells();
    if (c === null) {
      codeInfo(typecode);
      const lockOpt = lockOption(options, 'SharedArray');
      if (lockOpt === false) return new RawSharedArrayImpl(typecode, sizeOrInitializer) as unknown as SynchronizedArray<T>;
      c = create(ARRAY, typecode, sizeOrInitializer, lockOpt === true ? new RLock() : lockOpt, 'SharedArray');
    }
    super(c);
  }

  /**
   * The lock that synchronizes this array (the RLock made for it, or the one given).
   *
   * @example
   * ```ts
   * await arr.getLock().withLock(() => arr.set(0, arr.get(0) + 1));
   * ```
   */
  getLock(): LockLike {
    return cellsOf(this).lock!;
  }

  /**
   * The unsynchronized object: a typed array on the shared memory itself (`Int32Array` for
   * `'i'`; a Buffer with `.value`/`.raw` for `'c'`), where this isolate can map it (the root
   * process and its thread children); a {@link SharedMemoryUnavailableError} in a spawned process.
   *
   * @example
   * ```ts
   * const view = arr.getObj();
   * view.fill(7); // no lock, no copy
   * ```
   */
  getObj(): ArrayObj<T> {
    return arrayObj(cellsOf(this), 'SharedArray.getObj()') as ArrayObj<T>;
  }

  /**
   * Acquires the lock (see `Lock.acquire`).
   *
   * @example
   * ```ts
   * await arr.acquire();
   * try { arr.set(0, arr.get(0) + 1); } finally { arr.release(); }
   * ```
   */
  acquire(blocking = true, timeout?: number | null): Promise<boolean> {
    return this.getLock().acquire(blocking, timeout);
  }

  /**
   * Acquires the lock, blocking this thread.
   *
   * @example
   * ```ts
   * arr.acquireSync();
   * try { arr.set(0, 1); } finally { arr.release(); }
   * ```
   */
  acquireSync(blocking = true, timeout?: number | null): boolean {
    return this.getLock().acquireSync(blocking, timeout);
  }

  /**
   * Releases the lock.
   *
   * @example
   * ```ts
   * arr.release();
   * ```
   */
  release(): void {
    this.getLock().release();
  }

  /**
   * Python's `with arr.get_lock():` — runs `fn` (sync or async) holding the lock.
   *
   * @example
   * ```ts
   * await arr.withLock(() => arr.set(0, arr.get(0) + 1));
   * ```
   */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    return this.getLock().withLock(fn);
  }

  /**
   * The blocking twin of {@link withLock}, for a synchronous `fn`.
   *
   * @example
   * ```ts
   * arr.withLockSync(() => arr.set(0, arr.get(0) + 1));
   * ```
   */
  withLockSync<R>(fn: () => R): R {
    const lock = this.getLock();
    lock.acquireSync();
    try {
      return fn();
    } finally {
      lock.release();
    }
  }

  /**
   * Python's repr: `<SynchronizedArray wrapper for <multiprocess.sharedctypes.c_int_Array_10 object at 0x7f…>>`
   * (`SynchronizedString` for `'c'`).
   *
   * @example
   * ```ts
   * String(new SharedArray('i', 10));
   * ```
   */
  override toString(): string {
    const c = cellsOf(this);
    const name = c.info.family === 'byte' ? 'SynchronizedString' : 'SynchronizedArray';
    return `<${name} wrapper for ${pyArrayObject(c.info, c.length, c.handle)}>`;
  }
}

registerClass(SynchronizedArray, ARRAY, () => new SynchronizedArray('i', 0));

/**
 * A shared array synchronized by a lock (Python's `SynchronizedArray`). See {@link SharedArray}.
 *
 * @example
 * ```ts
 * function total(a: SharedArray<'d'>): number { return a.toArray().reduce((x, y) => x + y, 0); }
 * ```
 */
export interface SharedArray<T extends Typecode = Typecode> extends SynchronizedArray<T> {}

/**
 * Options of {@link SharedArray}: see {@link ValueOptions}.
 *
 * @example
 * ```ts
 * const options: SharedArrayOptions = { lock: false };
 * const arr = new SharedArray('i', 4, options);
 * ```
 */
export interface SharedArrayOptions {
  /** `true`/omitted: a new RLock; `false`: no lock (a RawSharedArray); or the lock-like to use. */
  lock?: boolean | LockLike | null;
}

/**
 * The type of {@link SharedArray}: constructible with `new`, callable without; `{ lock: false }`
 * gives a {@link RawSharedArray}.
 *
 * @example
 * ```ts
 * const make: SharedArrayConstructor = SharedArray;
 * const arr = make('i', 10);
 * ```
 */
export interface SharedArrayConstructor {
  new <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options: { lock: false }): RawSharedArray<T>;
  new <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: true | LockLike | null } | LockLike): SharedArray<T>;
  new <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: SharedArrayOptions | boolean | LockLike): SharedArray<T> | RawSharedArray<T>;
  <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options: { lock: false }): RawSharedArray<T>;
  <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: true | LockLike | null } | LockLike): SharedArray<T>;
  <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: SharedArrayOptions | boolean | LockLike): SharedArray<T> | RawSharedArray<T>;
  /** For `instanceof SharedArray`. */
  readonly prototype: SharedArray;
}

/**
 * A fixed-size array in shared memory, synchronized by a lock: Python's
 * `Array(typecode, size_or_initializer, lock=True)` (also exported as `Array`; prefer this name,
 * since `Array` shadows the global). A number makes a zero-filled array of that size; anything
 * iterable (or a string/Buffer for `'c'`) gives the initial elements. Every access holds the
 * lock (a new RLock, or `options.lock`); `{ lock: false }` gives a {@link RawSharedArray}.
 *
 * Threads access the memory directly; spawned processes go through the root's broker with the
 * same synchronous API (`slice`/`setAll`/`toArray` move whole ranges in one round trip).
 *
 * @example
 * ```ts
 * import { Process, SharedArray, Value } from 'multiprocess';
 *
 * const num = new Value('d', 0.0);
 * const arr = new SharedArray('i', Array.from({ length: 10 }, (_, i) => i));
 * const p = new Process({
 *   target: (n: Value<'d'>, a: SharedArray<'i'>) => {
 *     n.value = 3.1415927;
 *     for (let i = 0; i < a.length; i++) a.set(i, -a.get(i));
 *   },
 *   args: [num, arr],
 * });
 * await p.start();
 * await p.join();
 * console.log(num.value, arr.toArray()); // 3.1415927 [0, -1, -2, ..., -9]
 * ```
 */
export const SharedArray = callable(SynchronizedArray) as SharedArrayConstructor;
