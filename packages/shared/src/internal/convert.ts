/**
 * Checking and converting what users store, with ctypes' rules where JavaScript has a choice:
 * - integer codes take integral numbers (a float such as 3.5 is a TypeError, as `c_int(3.5)`);
 *   out-of-range integers wrap around, as ctypes does (no overflow check);
 * - `q`/`Q` take bigints only (a number is a TypeError: write `5n`);
 * - `f`/`d` take numbers (a bigint is a TypeError);
 * - booleans are 0/1 everywhere (Python's `True` is an int);
 * - `'c'` takes a byte: a number 0–255, a one-byte string, or a one-byte Uint8Array.
 */
import { Buffer } from 'node:buffer';
import type { AnyTypedArray, CodeInfo } from './codes.js';

function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (typeof v === 'number') return `the number ${v}`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

/** Checks one element for `info`; returns what to store (a number or a bigint). */
export function toElement(info: CodeInfo, v: unknown): number | bigint {
  switch (info.family) {
    case 'int':
      if (typeof v === 'number') {
        if (Number.isInteger(v)) return v;
        throw new TypeError(`${info.ctype} ('${info.code}') holds integers, not ${describe(v)}: convert it first (Math.trunc(x)), or use a 'd' typecode for floats`);
      }
      break;
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') throw new TypeError(`${info.ctype} ('${info.code}') holds numbers, not ${describe(v)}: convert it with Number(x)`);
      break;
    case 'big':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'number') {
        throw new TypeError(`${info.ctype} ('${info.code}') holds bigints, not ${describe(v)}: write ${Number.isInteger(v) ? `${v}n` : 'BigInt(x)'} (or use 'i'/'d' for numbers)`);
      }
      break;
    case 'byte':
      return toByte(v);
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') throw new TypeError(`${info.ctype} ('${info.code}') holds numbers, not ${describe(v)}: convert it with Number(x), or use a 'q'/'Q' typecode for bigints`);
  throw new TypeError(`${info.ctype} ('${info.code}') holds numbers, not ${describe(v)}`);
}

/** One byte for `'c'`: a number 0–255, a one-byte string or a one-byte Uint8Array. */
export function toByte(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TypeError(`c_char ('c') holds bytes, not ${describe(v)}`);
    if (v < 0 || v > 255) throw new RangeError(`c_char ('c') holds bytes 0-255, not ${v}`);
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length === 1) return bytes[0]!;
  } else if (v instanceof Uint8Array && v.length === 1) {
    return v[0]!;
  }
  throw new TypeError(`c_char ('c') holds one byte: a number 0-255, a one-byte string or a one-byte Uint8Array, not ${describe(v)}`);
}

/** Bytes for a `'c'` array's `.value`/`.raw`/initializer: a Uint8Array (or Buffer) or a string (UTF-8). */
export function toBytes(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new TypeError(`${what} takes bytes (a Uint8Array/Buffer) or a string, not ${describe(v)}`);
}

function isTypedArray(v: unknown): v is AnyTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/**
 * Converts `values` (an iterable or array-like) to a new typed array of `info`'s type, checking
 * each element. Typed arrays of a compatible family are copied without per-element checks.
 */
export function toTypedArray(info: CodeInfo, values: unknown, what: string): AnyTypedArray {
  if (info.family === 'byte' && (typeof values === 'string' || values instanceof Uint8Array)) {
    const bytes = toBytes(values, what);
    const out = info.alloc(bytes.length);
    out.set(bytes as never);
    return out;
  }
  if (isTypedArray(values)) {
    const big = values instanceof BigInt64Array || values instanceof BigUint64Array;
    const float = values instanceof Float32Array || values instanceof Float64Array;
    if (big === (info.family === 'big') && !(float && info.family !== 'float')) {
      const out = info.alloc(values.length);
      out.set(values as never);
      return out;
    }
  }
  if (typeof values === 'string') throw new TypeError(`${what}: a string initializes only a 'c' (byte) array; for '${info.code}' pass numbers`);
  let list: unknown[];
  if (values !== null && typeof values === 'object' && Symbol.iterator in values) list = Array.from(values as Iterable<unknown>);
  else if (values !== null && typeof values === 'object' && typeof (values as ArrayLike<unknown>).length === 'number') list = Array.from(values as ArrayLike<unknown>);
  else throw new TypeError(`${what} takes an iterable of values (array, typed array, Set, generator...), not ${describe(values)}`);
  const out = info.alloc(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      (out as unknown as Array<number | bigint>)[i] = toElement(info, list[i]);
    } catch (error) {
      if (error instanceof Error) error.message = `${what}[${i}]: ${error.message}`;
      throw error;
    }
  }
  return out;
}

/** A size or an initializer: the element count and the initial contents (null = zeros). */
export function sizeOrInitializer(info: CodeInfo, arg: unknown, what: string): { length: number; init: AnyTypedArray | null } {
  if (typeof arg === 'number') {
    if (!Number.isInteger(arg)) throw new TypeError(`${what}: a size must be an integer, not ${arg}`);
    if (arg < 0) throw new RangeError(`${what}: a size must be >= 0, not ${arg}`);
    if (arg > 2 ** 31 - 1) throw new RangeError(`${what}: a size of ${arg} elements is more than one shared segment can hold`);
    return { length: arg, init: null };
  }
  if (arg === undefined || arg === null) throw new TypeError(`${what} needs a size or an initializer (e.g. SharedArray('i', 10) or SharedArray('i', [1, 2, 3]))`);
  const init = toTypedArray(info, arg, what);
  return { length: init.length, init };
}
