/**
 * The run-time table of typecodes: each name resolves to a canonical code (`b B h H i I l L q Q
 * f d c`), its typed array constructor, its size and how values are checked and converted.
 */
import { Buffer } from 'node:buffer';

/** The canonical typecodes (Python's `array` letters). */
export type Code = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd' | 'c';

/** What kind of values a code holds. */
export type Family = 'int' | 'float' | 'big' | 'byte';

export type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export interface CodeInfo {
  readonly code: Code;
  readonly family: Family;
  readonly bytes: number;
  /** Python's ctypes name, for reprs (`c_int`). */
  readonly ctype: string;
  /** A view of `length` elements at `byteOffset` (a Buffer for `'c'`). */
  view(buffer: ArrayBufferLike, byteOffset: number, length: number): AnyTypedArray;
  /** A new, unshared array of `length` elements (the type that `view` returns). */
  alloc(length: number): AnyTypedArray;
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyTypedArray;
type AllocCtor = new (length: number) => AnyTypedArray;

function info(code: Code, family: Family, ctype: string, Ctor: ViewCtor & AllocCtor & { BYTES_PER_ELEMENT: number }): CodeInfo {
  return {
    code,
    family,
    ctype,
    bytes: Ctor.BYTES_PER_ELEMENT,
    view: (buffer, byteOffset, length) => new Ctor(buffer, byteOffset, length),
    alloc: (length) => new Ctor(length),
  };
}

const BYTE: CodeInfo = {
  code: 'c',
  family: 'byte',
  ctype: 'c_char',
  bytes: 1,
  view: (buffer, byteOffset, length) => Buffer.from(buffer as ArrayBuffer, byteOffset, length),
  alloc: (length) => Buffer.alloc(length),
};

const CANONICAL: Record<Code, CodeInfo> = {
  b: info('b', 'int', 'c_byte', Int8Array),
  B: info('B', 'int', 'c_ubyte', Uint8Array),
  h: info('h', 'int', 'c_short', Int16Array),
  H: info('H', 'int', 'c_ushort', Uint16Array),
  i: info('i', 'int', 'c_int', Int32Array),
  I: info('I', 'int', 'c_uint', Uint32Array),
  l: info('l', 'int', 'c_long', Int32Array),
  L: info('L', 'int', 'c_ulong', Uint32Array),
  q: info('q', 'big', 'c_longlong', BigInt64Array),
  Q: info('Q', 'big', 'c_ulonglong', BigUint64Array),
  f: info('f', 'float', 'c_float', Float32Array),
  d: info('d', 'float', 'c_double', Float64Array),
  c: BYTE,
};

const ALIASES: Record<string, Code> = {
  int8: 'b',
  uint8: 'B',
  int16: 'h',
  uint16: 'H',
  int32: 'i',
  uint32: 'I',
  bigint64: 'q',
  biguint64: 'Q',
  int64: 'q',
  uint64: 'Q',
  float32: 'f',
  float64: 'd',
  c_byte: 'b',
  c_ubyte: 'B',
  c_short: 'h',
  c_ushort: 'H',
  c_int: 'i',
  c_uint: 'I',
  c_long: 'l',
  c_ulong: 'L',
  c_longlong: 'q',
  c_ulonglong: 'Q',
  c_int8: 'b',
  c_uint8: 'B',
  c_int16: 'h',
  c_uint16: 'H',
  c_int32: 'i',
  c_uint32: 'I',
  c_int64: 'q',
  c_uint64: 'Q',
  c_float: 'f',
  c_double: 'd',
  c_char: 'c',
};

const KNOWN = 'b B h H i I l L q Q f d c, int8 uint8 int16 uint16 int32 uint32 bigint64 biguint64 float32 float64, or a ctypes name (c_int, c_double, ...)';

/** The table entry of a typecode; a TypeError naming the valid ones otherwise. */
export function codeInfo(typecode: unknown): CodeInfo {
  if (typeof typecode === 'string') {
    const direct = Object.hasOwn(CANONICAL, typecode) ? CANONICAL[typecode as Code] : undefined;
    if (direct) return direct;
    const alias = Object.hasOwn(ALIASES, typecode) ? ALIASES[typecode] : undefined;
    if (alias) return CANONICAL[alias];
    if (typecode === 'u') throw new TypeError("typecode 'u' (wchar) is not supported: use 'c' for bytes, or store UTF-16 code units in 'H'");
  }
  throw new TypeError(`unknown typecode ${JSON.stringify(typecode) ?? String(typecode)}: use one of ${KNOWN}`);
}

/** The table entry of a canonical code (from a handle's metadata). */
export function canonical(code: Code): CodeInfo {
  return CANONICAL[code];
}

/** The canonical code of a typed array, for views sent to other processes. */
export function codeOfView(view: ArrayBufferView): Code | null {
  if (Buffer.isBuffer(view)) return 'c';
  if (view instanceof Int8Array) return 'b';
  if (view instanceof Uint8Array) return 'B';
  if (view instanceof Int16Array) return 'h';
  if (view instanceof Uint16Array) return 'H';
  if (view instanceof Int32Array) return 'i';
  if (view instanceof Uint32Array) return 'I';
  if (view instanceof BigInt64Array) return 'q';
  if (view instanceof BigUint64Array) return 'Q';
  if (view instanceof Float32Array) return 'f';
  if (view instanceof Float64Array) return 'd';
  return null;
}
