/**
 * What synchronized and raw shared arrays share: element access, bulk reads and writes, the
 * bytes of 'c' arrays, and the typed-array view that getObj()/RawArray hand out.
 */
import { Buffer } from 'node:buffer';
import type { Cells } from './internal/cells.js';
import { type AnyTypedArray, codeInfo } from './internal/codes.js';
import { sizeOrInitializer, toBytes } from './internal/convert.js';
import { type ARRAY, newCells } from './internal/kinds.js';
import { setCells } from './internal/registry.js';
import type { LockLike } from './lock-like.js';
import type { ElementOf, InputOf, Typecode, TypedArrayOf } from './typecodes.js';

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
export type BytesObj = Buffer & {
  /** The bytes before the first NUL; setting it writes the bytes and a NUL if there is room. */
  value: Buffer;
  /** All the bytes; setting it writes the bytes without a NUL. */
  raw: Buffer;
};

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
export function create(kind: typeof ARRAY, typecode: unknown, sizeOrInit: unknown, lock: LockLike | null, what: string): Cells {
  const info = codeInfo(typecode);
  const { length, init } = sizeOrInitializer(info, sizeOrInit, what);
  const c = newCells(kind, info, length, lock);
  if (init !== null && length > 0) c.write(init, 0, what);
  return c;
}

/** What synchronized and raw arrays share (not exported by the package: see SharedArray and RawSharedArray). */
export abstract class ArrayBase<T extends Typecode> {
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

  /** Writes the bytes (a Uint8Array, or a string as UTF-8), then a NUL if there is room. */
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

  /** Writes the bytes (a Uint8Array, or a string as UTF-8) from the start, without a NUL. */
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

  /** Node's `util.inspect` (and so `console.log`) shows {@link toString}'s Python repr. */
  [inspect](): string {
    return this.toString();
  }
}

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
