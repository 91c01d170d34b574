/**
 * The server-side objects behind `manager.Value(typecode, v)` and `manager.Array(typecode, seq)`.
 * A Value holds any value (as Python's `managers.Value`, which does not check its typecode); an
 * Array is a typed array of Python's `array` typecodes, checked on every write.
 */
import { ValueError } from '../py-errors.js';
import { repr, reprString } from '../repr.js';

export class ValueReferent {
  readonly typecode: unknown;
  value: unknown;

  constructor(typecode: unknown, value: unknown) {
    this.typecode = typecode;
    this.value = value;
  }
  get(): unknown {
    return this.value;
  }
  set(value: unknown): void {
    this.value = value;
  }
  toString(): string {
    return `Value(${repr(this.typecode)}, ${repr(this.value)})`;
  }
}

type AnyTyped = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
type TypedCtor = new (length: number) => AnyTyped;

/** Python's array typecodes (`'l'`/`'L'` are 32-bit, as in @mp/shared), plus the names int8 … float64. */
const TYPECODES: Record<string, { ctor: TypedCtor; int: boolean; big: boolean; min?: number; max?: number }> = {
  b: { ctor: Int8Array, int: true, big: false, min: -128, max: 127 },
  B: { ctor: Uint8Array, int: true, big: false, min: 0, max: 255 },
  c: { ctor: Uint8Array, int: true, big: false, min: 0, max: 255 },
  h: { ctor: Int16Array, int: true, big: false, min: -32768, max: 32767 },
  H: { ctor: Uint16Array, int: true, big: false, min: 0, max: 65535 },
  i: { ctor: Int32Array, int: true, big: false, min: -2147483648, max: 2147483647 },
  I: { ctor: Uint32Array, int: true, big: false, min: 0, max: 4294967295 },
  l: { ctor: Int32Array, int: true, big: false, min: -2147483648, max: 2147483647 },
  L: { ctor: Uint32Array, int: true, big: false, min: 0, max: 4294967295 },
  q: { ctor: BigInt64Array, int: true, big: true },
  Q: { ctor: BigUint64Array, int: true, big: true },
  f: { ctor: Float32Array, int: false, big: false },
  d: { ctor: Float64Array, int: false, big: false },
};
const NAMES: Record<string, string> = { int8: 'b', uint8: 'B', int16: 'h', uint16: 'H', int32: 'i', uint32: 'I', bigint64: 'q', biguint64: 'Q', float32: 'f', float64: 'd' };

export class ArrayReferent {
  readonly typecode: string;
  readonly data: AnyTyped;
  readonly #spec: (typeof TYPECODES)[string];

  constructor(typecode: unknown, init?: unknown) {
    const code = typeof typecode === 'string' ? (NAMES[typecode] ?? typecode) : '';
    const spec = TYPECODES[code];
    if (spec === undefined) throw new ValueError(`bad typecode ${repr(typecode)} (must be b, B, h, H, i, I, l, L, q, Q, f, d or c)`);
    this.typecode = code;
    this.#spec = spec;
    let values: unknown[];
    if (typeof init === 'number') values = new Array<unknown>(init).fill(spec.big ? 0n : 0);
    else if (init === undefined || init === null) values = [];
    else if (typeof init === 'object' && typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') values = [...(init as Iterable<unknown>)];
    else throw new TypeError(`Array(typecode, sequence) expects a sequence or a size, not ${repr(init)}`);
    this.data = new spec.ctor(values.length);
    values.forEach((v, i) => this.#store(i, v));
  }

  #store(i: number, v: unknown): void {
    const spec = this.#spec;
    if (spec.big) {
      if (typeof v !== 'bigint') throw new TypeError(`array('${this.typecode}') items must be bigint, not ${typeof v}`);
    } else {
      if (typeof v !== 'number') throw new TypeError(`array('${this.typecode}') items must be numbers, not ${typeof v}`);
      if (spec.int) {
        if (!Number.isInteger(v)) throw new TypeError(`array('${this.typecode}') items must be integers, not ${v}`);
        if (v < spec.min! || v > spec.max!) throw new RangeError(`${v} is out of range for array('${this.typecode}') (${spec.min} to ${spec.max})`);
      }
    }
    (this.data as unknown as unknown[])[i] = v;
  }

  #at(i: unknown, message: string): number {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`array indices must be integers, not ${typeof i}`);
    const n = this.data.length;
    const index = i < 0 ? i + n : i;
    if (index < 0 || index >= n) throw new RangeError(message);
    return index;
  }

  get(i: number): number | bigint {
    return this.data[this.#at(i, 'array index out of range')]!;
  }
  set(i: number, v: unknown): void {
    this.#store(this.#at(i, 'array assignment index out of range'), v);
  }
  len(): number {
    return this.data.length;
  }
  slice(start?: number | null, end?: number | null): Array<number | bigint> {
    return Array.from(this.data.slice(start ?? undefined, end ?? undefined) as ArrayLike<number | bigint>);
  }
  toArray(): Array<number | bigint> {
    return Array.from(this.data as ArrayLike<number | bigint>);
  }
  toString(): string {
    return `array(${reprString(this.typecode)}, ${repr(this.toArray())})`;
  }
}
