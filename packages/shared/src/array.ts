import { Buffer } from 'node:buffer';
import { RLock } from '@mp/sync';
import type { Cells } from './internal/cells.js';
import { callable } from './internal/callable.js';
import { type AnyTypedArray, codeInfo } from './internal/codes.js';
import { sizeOrInitializer, toBytes } from './internal/convert.js';
import { ARRAY, attachedCells, newCells, RAW_ARRAY, registerClass } from './internal/kinds.js';
import { lockOption } from './internal/options.js';
import { cellsOf, setCells } from './internal/registry.js';
import { pyArrayObject } from './internal/repr.js';
import type { LockLike } from './lock-like.js';
import type { ArrayInitializer, ElementOf, InputOf, Typecode, TypedArrayOf } from './typecodes.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * What `slice()` returns: an array of elements (a Buffer of bytes for `'c'`, as Python's bytes).
 *
 * @example
 * ```ts
 * const part: SliceOf<'i'> = new SharedArray('i', [1, 2, 3]).slice(1); // [2, 3]
 * ```
 */
export type SliceOf<T extends Typecode> = T extends 'c' | 'c_char' ? Buffer : ElementOf<T>[];

/**
 * The typed array of a `'c'` array's `getObj()`/`RawArray('c', …)`: a Buffer with `.value` and
 * `.raw` (unsynchronized).
 *
 * @example
 * ```ts
 * const name: BytesObj = RawArray('c', 16);
 * name.value = 'ada';
 * ```
 */
export type BytesObj = Buffer & { value: Buffer; raw: Buffer };

/**
 * The typed array of `getObj()`/`RawArray(…)` for a typecode.
 *
 * @example
 * ```ts
 * const view: ArrayObj<'d'> = RawArray('d', 4); // Float64Array
 * ```
 */
export type ArrayObj<T extends Typecode> = T extends 'c' | 'c_char' ? BytesObj : TypedArrayOf<T>;

function relative(x: unknown, length: number, fallback: number, what: string): number {
  if (x === undefined || x === null) return fallback;
  if (typeof x !== 'number') throw new TypeError(`${what} must be an integer, not ${typeof x}`);
  const n = Number.isNaN(x) ? 0 : Math.trunc(x);
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length);
}

/** Creates the cells of a new array (`lock` null for a raw one). */
function create(kind: typeof ARRAY, typecode: unknown, sizeOrInit: unknown, lock: LockLike | null, what: string): Cells {
  const info = codeInfo(typecode);
  const { length, init } = sizeOrInitializer(info, sizeOrInit, what);
  const c = newCells(kind, info, length, lock);
  if (init !== null && length > 0) c.write(init, 0, what);
  return c;
}

/** What synchronized and raw arrays share. Not exported: see SharedArray and RawSharedArray. */
abstract class ArrayBase<T extends Typecode> {
  readonly #c: Cells;

  protected constructor(c: Cells) {
    this.#c = c;
    setCells(this, c);
  }

  /**
   * The number of elements (fixed at creation).
   *
   * @example
   * ```ts
   * new SharedArray('i', 10).length; // 10
   * ```
   */
  get length(): number {
    return this.#c.length;
  }

  /**
   * The canonical typecode (`'d'` for `'float64'`).
   *
   * @example
   * ```ts
   * new SharedArray('float64', 3).typecode; // 'd'
   * ```
   */
  get typecode(): string {
    return this.#c.info.code;
  }

  /**
   * Element `index` (negative counts from the end, as in Python); a RangeError out of range.
   *
   * @example
   * ```ts
   * const arr = new SharedArray('i', [10, 20, 30]);
   * arr.get(1);  // 20
   * arr.get(-1); // 30
   * ```
   */
  get(index: number): ElementOf<T> {
    const c = this.#c;
    return c.get((index >>> 0) === index && index < c.length ? index : c.index(index)) as ElementOf<T>;
  }

  /**
   * Stores `value` at `index`. A value of the wrong type is a TypeError (a float into `'i'`, a
   * number into `'q'`, a bigint into `'d'`, a string into a number code).
   *
   * @example
   * ```ts
   * arr.set(0, 42);
   * ```
   */
  set(index: number, value: InputOf<T>): void {
    const c = this.#c;
    c.set((index >>> 0) === index && index < c.length ? index : c.index(index), value);
  }

  /**
   * A copy of the elements from `start` to `end` (exclusive; negatives count from the end, as
   * `Array.prototype.slice`), read in one critical section — and in one round trip from a
   * spawned process. `'c'` arrays give a Buffer.
   *
   * @example
   * ```ts
   * new SharedArray('i', [0, 1, 2, 3, 4]).slice(1, 3); // [1, 2]
   * ```
   */
  slice(start?: number, end?: number): SliceOf<T> {
    const c = this.#c;
    const s = relative(start, c.length, 0, 'slice start');
    const e = Math.max(s, relative(end, c.length, c.length, 'slice end'));
    const copy = c.read(s, e);
    return (c.info.family === 'byte' ? copy : Array.from(copy as ArrayLike<number>)) as SliceOf<T>;
  }

  /**
   * Writes `values` (any iterable, or a typed array) from element `offset` on, in one critical
   * section and one round trip (Python's `arr[offset:offset+n] = values`). Values that do not fit
   * are a RangeError and nothing is written.
   *
   * @example
   * ```ts
   * const arr = new SharedArray('i', 10);
   * arr.setAll([1, 2, 3, 4], 4); // [0, 0, 0, 0, 1, 2, 3, 4, 0, 0]
   * ```
   */
  setAll(values: Iterable<InputOf<T>> | ArrayLike<InputOf<T>>, offset = 0): void {
    const c = this.#c;
    if (typeof offset !== 'number' || !Number.isInteger(offset)) throw new TypeError(`setAll: offset must be an integer, not ${String(offset)}`);
    if (offset < 0 || offset > c.length) throw new RangeError(`setAll: offset ${offset} is out of range 0-${c.length}`);
    c.write(values, offset, 'setAll');
  }

  /**
   * All elements, copied in one critical section (one round trip from a spawned process).
   *
   * @example
   * ```ts
   * new SharedArray('d', 3).toArray(); // [0, 0, 0]
   * ```
   */
  toArray(): ElementOf<T>[] {
    const c = this.#c;
    return Array.from(c.read(0, c.length) as ArrayLike<ElementOf<T>>);
  }

  /**
   * Iterates over a snapshot of the elements (taken as {@link toArray} does).
   *
   * @example
   * ```ts
   * for (const x of arr) console.log(x);
   * ```
   */
  [Symbol.iterator](): IterableIterator<ElementOf<T>> {
    return this.toArray()[Symbol.iterator]();
  }

  /**
   * `'c'` arrays only (Python's char arrays): the bytes before the first NUL, as a Buffer.
   * Setting it writes the bytes (a Uint8Array, or a string as UTF-8) and a NUL if there is room;
   * more bytes than the array holds is a RangeError ("byte string too long").
   *
   * @example
   * ```ts
   * const s = new SharedArray('c', 20);
   * s.value = 'hello';
   * s.value.toString(); // 'hello'
   * ```
   */
  get value(): Buffer {
    return this.#bytes('value').bytesValue();
  }

  set value(v: Uint8Array | string) {
    this.#bytes('value').setBytesValue(v);
  }

  /**
   * `'c'` arrays only: all the bytes, as a Buffer. Setting it writes the bytes without a NUL.
   *
   * @example
   * ```ts
   * new SharedArray('c', 3).raw; // <Buffer 00 00 00>
   * ```
   */
  get raw(): Buffer {
    const c = this.#bytes('raw');
    return c.read(0, c.length) as Buffer;
  }

  set raw(v: Uint8Array | string) {
    this.#bytes('raw').setRaw(v);
  }

  #bytes(what: string): Cells {
    const c = this.#c;
    if (c.info.family !== 'byte') {
      throw new TypeError(`.${what} exists only on 'c' (byte) arrays; this one is '${c.info.code}': use toArray() or slice()`);
    }
    return c;
  }

  [inspect](): string {
    return this.toString();
  }
}

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

/** Implementation of {@link RawSharedArray}. */
class RawSharedArrayImpl<T extends Typecode = Typecode> extends ArrayBase<T> {
  constructor(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>) {
    super(attachedCells() ?? create(RAW_ARRAY, typecode, sizeOrInitializer, null, 'RawSharedArray'));
  }

  /**
   * Python's repr of a ctypes array: `<multiprocess.sharedctypes.c_int_Array_10 object at 0x7f…>`.
   *
   * @example
   * ```ts
   * String(new SharedArray('i', 10, { lock: false }));
   * ```
   */
  override toString(): string {
    const c = cellsOf(this);
    return pyArrayObject(c.info, c.length, c.handle);
  }
}
Object.defineProperty(RawSharedArrayImpl, 'name', { value: 'RawSharedArray' });

/** The typed array over an array's memory (decorated with `.value`/`.raw` for `'c'`). */
export function arrayObj(c: Cells, what: string): AnyTypedArray {
  return c.obj(what, (view) => {
    if (c.info.family === 'byte') decorateBytes(view as Uint8Array, c.length);
  });
}

function decorateBytes(view: Uint8Array, length: number): void {
  const fit = (v: unknown, what: string): Uint8Array => {
    const bytes = toBytes(v, what);
    if (bytes.length > length) throw new RangeError(`byte string too long: ${bytes.length} bytes do not fit in ${length} (${what})`);
    return bytes;
  };
  Object.defineProperties(view, {
    value: {
      get: () => {
        const nul = view.indexOf(0);
        return Buffer.from(view.subarray(0, nul < 0 ? length : nul));
      },
      set: (v: unknown) => {
        const bytes = fit(v, '.value');
        view.set(bytes, 0);
        if (bytes.length < length) view[bytes.length] = 0;
      },
      enumerable: false,
    },
    raw: {
      get: () => Buffer.from(view),
      set: (v: unknown) => view.set(fit(v, '.raw'), 0),
      enumerable: false,
    },
  });
}

registerClass(SynchronizedArray, ARRAY, () => new SynchronizedArray('i', 0));
registerClass(RawSharedArrayImpl, RAW_ARRAY, () => new RawSharedArrayImpl('i', 0));

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
 * A shared array without a lock: what `SharedArray(…, { lock: false })` gives (Python's raw
 * ctypes array). Same API as {@link SharedArray} minus the lock methods and `getObj()`; unlike
 * {@link RawArray}'s typed array, it works in spawned processes too (through the broker).
 *
 * @example
 * ```ts
 * const hits: RawSharedArray<'I'> = new SharedArray('I', 8, { lock: false });
 * ```
 */
export interface RawSharedArray<T extends Typecode = Typecode> extends RawSharedArrayImpl<T> {}

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
  readonly prototype: SharedArray;
}

/**
 * The type of {@link RawSharedArray}: constructible with `new`, callable without.
 *
 * @example
 * ```ts
 * const make: RawSharedArrayConstructor = RawSharedArray;
 * const arr = make('d', 3);
 * ```
 */
export interface RawSharedArrayConstructor {
  new <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>): RawSharedArray<T>;
  <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>): RawSharedArray<T>;
  readonly prototype: RawSharedArray;
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

/**
 * A lock-free shared array object, as `SharedArray(typecode, size, { lock: false })` returns.
 *
 * @example
 * ```ts
 * const hits = new RawSharedArray('I', 16);
 * hits.set(3, hits.get(3) + 1); // no lock: only safe with one writer per element
 * ```
 */
export const RawSharedArray = callable(RawSharedArrayImpl) as RawSharedArrayConstructor;

/** Internal: the cells behind a RawSharedArray made by RawArray(). */
export function newRawArrayCells(typecode: unknown, sizeOrInitializer: unknown): Cells {
  return cellsOf(new RawSharedArrayImpl(typecode as Typecode, sizeOrInitializer as number));
}
