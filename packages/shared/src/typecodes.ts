/**
 * The element types of shared values and arrays: Python's `array` typecodes, the names of
 * JavaScript's typed arrays, and Python's ctypes names.
 */
import type { Buffer } from 'node:buffer';

/**
 * One row of {@link TypecodeTable}: the typed array that views a typecode's memory, what an
 * element reads as, and what it accepts.
 *
 * @example
 * ```ts
 * type Row = TypecodeTable['i']; // TypecodeInfo<Int32Array, number, number | boolean>
 * ```
 */
export interface TypecodeInfo<A, E, I> {
  /** The typed array over the memory (`getObj()`, `RawArray(...)`). */
  array: A;
  /** What `get()` and `.value` return. */
  element: E;
  /** What `set()` and `.value =` accept. */
  input: I;
}

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
  /** `'b'`: signed 8-bit integer (C `signed char`). */
  b: TypecodeInfo<Int8Array, number, number | boolean>;
  /** `'B'`: unsigned 8-bit integer (C `unsigned char`). */
  B: TypecodeInfo<Uint8Array, number, number | boolean>;
  /** `'h'`: signed 16-bit integer (C `short`). */
  h: TypecodeInfo<Int16Array, number, number | boolean>;
  /** `'H'`: unsigned 16-bit integer (C `unsigned short`). */
  H: TypecodeInfo<Uint16Array, number, number | boolean>;
  /** `'i'`: signed 32-bit integer (C `int`). */
  i: TypecodeInfo<Int32Array, number, number | boolean>;
  /** `'I'`: unsigned 32-bit integer (C `unsigned int`). */
  I: TypecodeInfo<Uint32Array, number, number | boolean>;
  /** `'l'`: signed 32-bit integer (C `long`; 32-bit here, see above). */
  l: TypecodeInfo<Int32Array, number, number | boolean>;
  /** `'L'`: unsigned 32-bit integer (C `unsigned long`; 32-bit here). */
  L: TypecodeInfo<Uint32Array, number, number | boolean>;
  /** `'q'`: signed 64-bit integer (C `long long`), read as a `bigint`. */
  q: TypecodeInfo<BigInt64Array, bigint, bigint | boolean>;
  /** `'Q'`: unsigned 64-bit integer (C `unsigned long long`), read as a `bigint`. */
  Q: TypecodeInfo<BigUint64Array, bigint, bigint | boolean>;
  /** `'f'`: 32-bit float (C `float`). */
  f: TypecodeInfo<Float32Array, number, number | boolean>;
  /** `'d'`: 64-bit float (C `double`). */
  d: TypecodeInfo<Float64Array, number, number | boolean>;
  /** A byte (C `char`): elements are numbers 0–255; `Value('c').value` is a 1-byte Buffer. */
  c: TypecodeInfo<Buffer, number, number | string | Uint8Array>;
  /** Same as `'b'`. */
  int8: TypecodeTable['b'];
  /** Same as `'B'`. */
  uint8: TypecodeTable['B'];
  /** Same as `'h'`. */
  int16: TypecodeTable['h'];
  /** Same as `'H'`. */
  uint16: TypecodeTable['H'];
  /** Same as `'i'`. */
  int32: TypecodeTable['i'];
  /** Same as `'I'`. */
  uint32: TypecodeTable['I'];
  /** Same as `'q'`. */
  bigint64: TypecodeTable['q'];
  /** Same as `'Q'`. */
  biguint64: TypecodeTable['Q'];
  /** Same as `'q'`. */
  int64: TypecodeTable['q'];
  /** Same as `'Q'`. */
  uint64: TypecodeTable['Q'];
  /** Same as `'f'`. */
  float32: TypecodeTable['f'];
  /** Same as `'d'`. */
  float64: TypecodeTable['d'];
  /** Same as `'b'`. */
  c_byte: TypecodeTable['b'];
  /** Same as `'B'`. */
  c_ubyte: TypecodeTable['B'];
  /** Same as `'h'`. */
  c_short: TypecodeTable['h'];
  /** Same as `'H'`. */
  c_ushort: TypecodeTable['H'];
  /** Same as `'i'`. */
  c_int: TypecodeTable['i'];
  /** Same as `'I'`. */
  c_uint: TypecodeTable['I'];
  /** Same as `'l'`. */
  c_long: TypecodeTable['l'];
  /** Same as `'L'`. */
  c_ulong: TypecodeTable['L'];
  /** Same as `'q'`. */
  c_longlong: TypecodeTable['q'];
  /** Same as `'Q'`. */
  c_ulonglong: TypecodeTable['Q'];
  /** Same as `'b'`. */
  c_int8: TypecodeTable['b'];
  /** Same as `'B'`. */
  c_uint8: TypecodeTable['B'];
  /** Same as `'h'`. */
  c_int16: TypecodeTable['h'];
  /** Same as `'H'`. */
  c_uint16: TypecodeTable['H'];
  /** Same as `'i'`. */
  c_int32: TypecodeTable['i'];
  /** Same as `'I'`. */
  c_uint32: TypecodeTable['I'];
  /** Same as `'q'`. */
  c_int64: TypecodeTable['q'];
  /** Same as `'Q'`. */
  c_uint64: TypecodeTable['Q'];
  /** Same as `'f'`. */
  c_float: TypecodeTable['f'];
  /** Same as `'d'`. */
  c_double: TypecodeTable['d'];
  /** Same as `'c'`. */
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
