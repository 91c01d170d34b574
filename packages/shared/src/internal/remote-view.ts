/**
 * What a typed array over shared memory (a RawArray, or a getObj() view) becomes in a spawned
 * process, which cannot map that memory: a live stand-in, never a copy. Indexing (`a[i]`,
 * `a[i] = x`), `length`, iteration and a few bulk methods work, each a broker round trip to the
 * object in the root process (unsynchronized, as the typed array is). Everything else a typed
 * array has throws a SharedMemoryUnavailableError that says to use the `thread` start method.
 */
import { Buffer } from 'node:buffer';
import { SharedMemoryUnavailableError } from '../errors.js';
import type { Cells } from './cells.js';
import { type AnyTypedArray, type Code, canonical } from './codes.js';
import { toElement } from './convert.js';

const INDEX = /^(?:0|[1-9]\d*)$/;
const inspect = Symbol.for('nodejs.util.inspect.custom');

function unavailable(what: string): SharedMemoryUnavailableError {
  return new SharedMemoryUnavailableError(
    `${what} is not available here: this typed array views shared memory of the root process, which a spawned process cannot map, ` +
      "so it is a live stand-in (indexing, length, iteration, slice, set, fill: one broker round trip each). Use the 'thread' start method " +
      '(getContext(\'thread\')) for a real typed array, or a SharedArray for the same API everywhere.',
  );
}

class RemoteTypedArray {
  readonly #c: Cells;
  readonly #start: number;
  readonly #scratch: AnyTypedArray;
  readonly length: number;

  constructor(c: Cells, start: number, length: number) {
    this.#c = c;
    this.#start = start;
    this.length = length;
    this.#scratch = c.info.alloc(1);
  }

  get BYTES_PER_ELEMENT(): number {
    return this.#c.info.bytes;
  }

  getAt(i: number): number | bigint {
    return this.#c.get(this.#start + i, true);
  }

  setAt(i: number, value: unknown): void {
    // Coerce as a typed array store does (3.7 → 3 in an Int32Array; a number into a BigInt64Array throws).
    (this.#scratch as unknown as unknown[])[0] = value;
    this.#c.set(this.#start + i, this.#scratch[0], true);
  }

  #copy(start = 0, end = this.length): AnyTypedArray {
    return this.#c.read(this.#start + start, this.#start + end);
  }

  /** A local copy of elements [start, end) (one round trip). */
  slice(start?: number, end?: number): AnyTypedArray {
    return this.#copy().slice(start, end);
  }

  /** Writes `values` at `offset` (one round trip). */
  set(values: ArrayLike<number | bigint>, offset = 0): void {
    if (offset < 0 || offset + values.length > this.length) throw new RangeError('offset is out of bounds');
    const data = this.#c.info.alloc(values.length);
    data.set(values as never);
    this.#c.write(data, this.#start + offset, 'set');
  }

  fill(value: number | bigint, start?: number, end?: number): this {
    const data = this.#copy();
    data.fill(value as never, start, end);
    this.#c.write(data, this.#start, 'fill');
    return this;
  }

  at(i: number): number | bigint | undefined {
    const j = Math.trunc(i) < 0 ? Math.trunc(i) + this.length : Math.trunc(i);
    return j >= 0 && j < this.length ? this.getAt(j) : undefined;
  }

  join(separator?: string): string {
    return this.#copy().join(separator);
  }

  toString(): string {
    return this.join(',');
  }

  [Symbol.iterator](): IterableIterator<number | bigint> {
    return (this.#copy() as Iterable<number | bigint> & { values(): IterableIterator<number | bigint> }).values();
  }

  [inspect](): string {
    return `Remote${canonicalName(this.#c.info.code)}(${this.length}) [ ${this.join(', ')} ]`;
  }
}

function canonicalName(code: Code): string {
  return code === 'c' ? 'Buffer' : canonical(code).alloc(0).constructor.name;
}

const OWN = new Set(Object.getOwnPropertyNames(RemoteTypedArray.prototype));
const TYPED_ARRAY_NAMES = new Set(Object.getOwnPropertyNames(Object.getPrototypeOf(Int8Array.prototype)));
const BUFFER_NAMES = new Set(Object.getOwnPropertyNames(Buffer.prototype));

/** Extra accessors of getObj() views: `.value` of a Value's object, `.value`/`.raw` of a 'c' array's. */
export type Extras = 'value' | 'bytes' | null;

/** Where each stand-in points, so that it can be sent on (to a grandchild) as the view it stands for. */
export interface RemoteViewInfo {
  readonly cells: Cells;
  readonly start: number;
  readonly length: number;
  readonly own: boolean;
}
export const remoteViews = new WeakMap<object, RemoteViewInfo>();

/** The stand-in for a typed array of `length` elements from element `start` of `c`. */
export function remoteView(c: Cells, start: number, length: number, extras: Extras): unknown {
  const target = new RemoteTypedArray(c, start, length);
  const names = c.info.family === 'byte' ? BUFFER_NAMES : null;
  const proxy: object = new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string') {
        if (INDEX.test(key)) {
          const i = Number(key);
          return i < t.length ? t.getAt(i) : undefined;
        }
        if (extras === 'value' && key === 'value') {
          const v = t.getAt(0);
          return c.info.family === 'byte' ? Buffer.of(v as number) : v;
        }
        if (extras === 'bytes' && key === 'value') return c.bytesValue();
        if (extras === 'bytes' && key === 'raw') return Buffer.from(t.slice() as Uint8Array);
        if (!OWN.has(key) && key !== 'length' && key !== 'constructor' && (TYPED_ARRAY_NAMES.has(key) || names?.has(key))) {
          throw unavailable(`.${key}`);
        }
      }
      // Methods run on the target (its private state), and give the proxy back for `this`.
      const v = Reflect.get(t, key, t) as unknown;
      if (typeof v !== 'function' || key === 'constructor') return v;
      return (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown).apply(t, args);
        return r === t ? proxy : r;
      };
    },
    set(t, key, value, receiver) {
      if (typeof key === 'string') {
        if (INDEX.test(key)) {
          const i = Number(key);
          if (i < t.length) t.setAt(i, value);
          return true;
        }
        if (extras === 'value' && key === 'value') {
          c.set(start, toElement(c.info, value), true);
          return true;
        }
        if (extras === 'bytes' && key === 'value') {
          c.setBytesValue(value);
          return true;
        }
        if (extras === 'bytes' && key === 'raw') {
          c.setRaw(value);
          return true;
        }
        if (key === 'length') return false;
      }
      return Reflect.set(t, key, value, receiver);
    },
    has(t, key) {
      if (typeof key === 'string' && INDEX.test(key)) return Number(key) < t.length;
      return Reflect.has(t, key);
    },
  });
  remoteViews.set(proxy, { cells: c, start, length, own: extras !== null || (start === 0 && length === c.length) });
  return proxy;
}
