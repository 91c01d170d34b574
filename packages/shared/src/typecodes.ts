/**
 * The element types of shared values and arrays: Python's `array` typecodes, the names of
 * JavaScript's typed arrays, and Python's ctypes names.
 */
import type { Buffer } from 'node:buffer';

/**
 * What each typecode stores: the typed array that views it, what `get()` and `.value` return
 * (`element`), and what `set()` and `.value =` accept (`input`).
 *
 * `'l'`/`'L'` (C `long`) are **32-bit** here: Python's `c_long` is 64-bit on 64-bit Linux, but
 * only `q`/`Q` are `bigint` in this library, so `l`/`L` stay plain numbers (as `i`/`I`).
 * Use `'q'`/`'Q'` for 64-bit integers.
 *
 * @example
 * ```ts
 * type A = TypecodeTable['d']['array'];   // Float64Array
 * type E = TypecodeTable['q']['element']; // bigint
 * ```
 */
export interface TypecodeTable {
  b: { array: Int8Array; element: number; input: number | boolean };
  B: { array: Uint8Array; element: number; input: number | boolean };
  h: { array: Int16Array; element: number; input: number | boolean };
  H: { array: Uint16Array; element: number; input: number | boolean };
  i: { array: Int32Array; element: number; input: number | boolean };
  I: { array: Uint32Array; element: number; input: number | boolean };
  l: { array: Int32Array; element: number; input: number | boolean };
  L: { array: Uint32Array; element: number; input: number | boolean };
  q: { array: BigInt64Array; element: bigint; input: bigint | boolean };
  Q: { array: BigUint64Array; element: bigint; input: bigint | boolean };
  f: { array: Float32Array; element: number; input: number | boolean };
  d: { array: Float64Array; element: number; input: number | boolean };
  /** A byte (C `char`): elements are numbers 0–255; `Value('c').value` is a 1-byte Buffer. */
  c: { array: Buffer; element: number; input: number | string | Uint8Array };
  int8: TypecodeTable['b'];
  uint8: TypecodeTable['B'];
  int16: TypecodeTable['h'];
  uint16: TypecodeTable['H'];
  int32: TypecodeTable['i'];
  uint32: TypecodeTable['I'];
  bigint64: TypecodeTable['q'];
  biguint64: TypecodeTable['Q'];
  int64: TypecodeTable['q'];
  uint64: TypecodeTable['Q'];
  float32: TypecodeTable['f'];
  float64: TypecodeTable['d'];
  c_byte: TypecodeTable['b'];
  c_ubyte: TypecodeTable['B'];
  c_short: TypecodeTable['h'];
  c_ushort: TypecodeTable['H'];
  c_int: TypecodeTable['i'];
  c_uint: TypecodeTable['I'];
  c_long: TypecodeTable['l'];
  c_ulong: TypecodeTable['L'];
  c_longlong: TypecodeTable['q'];
  c_ulonglong: TypecodeTable['Q'];
  c_int8: TypecodeTable['b'];
  c_uint8: TypecodeTable['B'];
  c_int16: TypecodeTable['h'];
  c_uint16: TypecodeTable['H'];
  c_int32: TypecodeTable['i'];
  c_uint32: TypecodeTable['I'];
  c_int64: TypecodeTable['q'];
  c_uint64: TypecodeTable['Q'];
  c_float: TypecodeTable['f'];
  c_double: TypecodeTable['d'];
  c_char: TypecodeTable['c'];
}

/**
 * A typecode: `b B h H i I l L q Q f d c` (Python's `array` module), `'int8'` … `'float64'`,
 * `'bigint64'`/`'biguint64'` (also `'int64'`/`'uint64'`), or a ctypes name (`'c_int'`, `'c_double'`…).
 *
 * @example
 * ```ts
 * const code: Typecode = 'd';
 * const v = new Value(code, 2.5);
 * ```
 */
export type Typecode = keyof TypecodeTable;

/**
 * The typed array that views a typecode's memory (`Int32Array` for `'i'`, a `Buffer` for `'c'`).
 *
 * @example
 * ```ts
 * const view: TypedArrayOf<'d'> = RawArray('d', 4); // Float64Array
 * ```
 */
export type TypedArrayOf<T extends Typecode> = TypecodeTable[T]['array'];

/**
 * What an element of a typecode reads as: `bigint` for `q`/`Q`, else `number` (bytes too).
 *
 * @example
 * ```ts
 * const x: ElementOf<'q'> = 2n ** 40n;
 * ```
 */
export type ElementOf<T extends Typecode> = TypecodeTable[T]['element'];

/**
 * What an element of a typecode accepts: numbers (integers for integer codes), `bigint` for
 * `q`/`Q`, booleans as 0/1 (as Python's `True`), and for `'c'` also a 1-character string or a
 * 1-byte Uint8Array.
 *
 * @example
 * ```ts
 * const x: InputOf<'c'> = 'A';
 * ```
 */
export type InputOf<T extends Typecode> = TypecodeTable[T]['input'];

/**
 * What `.value` of a `Value`/`RawValue` reads as: the element, except a 1-byte `Buffer` for
 * `'c'` (Python's `b'x'`).
 *
 * @example
 * ```ts
 * const v: ValueOf<'c'> = new Value('c', 'x').value; // <Buffer 78>
 * ```
 */
export type ValueOf<T extends Typecode> = T extends 'c' | 'c_char' ? Buffer : ElementOf<T>;

/**
 * What a `SharedArray`/`RawArray` can be built from besides a size: any iterable of inputs
 * (array, typed array, Set, generator…); for `'c'` also a string (UTF-8) or bytes.
 *
 * @example
 * ```ts
 * const init: ArrayInitializer<'i'> = [1, 2, 3];
 * ```
 */
export type ArrayInitializer<T extends Typecode> = Iterable<InputOf<T>> | ArrayLike<InputOf<T>> | (T extends 'c' | 'c_char' ? string | Uint8Array : never);
