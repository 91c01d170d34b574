import { Buffer } from 'node:buffer';
import type { Cells } from './internal/cells.js';
import { callable } from './internal/callable.js';
import { codeInfo } from './internal/codes.js';
import { toElement } from './internal/convert.js';
import { attachedCells, newCells, RAW_VALUE, registerClass, setCells } from './internal/kinds.js';
import { pyElement } from './internal/repr.js';
import type { InputOf, Typecode, ValueOf } from './typecodes.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/** An element as `.value` gives it: a 1-byte Buffer for 'c'. */
export function read(c: Cells, e: number | bigint): never {
  return (c.info.family === 'byte' ? Buffer.of(e as number) : e) as never;
}

/** The typecode's table entry and the checked initial value (null: zero). */
export function checkedInitial(typecode: unknown, initial: unknown): [ReturnType<typeof codeInfo>, number | bigint | null] {
  const info = codeInfo(typecode);
  return [info, initial === undefined || initial === null ? null : toElement(info, initial)];
}

/** Implementation of {@link RawValue} (see there). */
export class RawValueImpl<T extends Typecode = Typecode> {
  readonly #c: Cells;

  constructor(typecode: T, initial?: InputOf<T> | null) {
    let c = attachedCells();
    if (c === null) {
      const [info, v] = checkedInitial(typecode, initial);
      c = newCells(RAW_VALUE, info, 1, null);
      if (v !== null) c.set(0, v, true);
    }
    this.#c = c;
    setCells(this, c);
  }

  /**
   * The value (no lock: a plain load or store on the shared memory, or one broker round trip in
   * a spawned process). `q`/`Q` are bigints; `'c'` reads as a 1-byte Buffer.
   *
   * @example
   * ```ts
   * const v = new RawValue('d', 1.5);
   * v.value *= 2; // 3
   * ```
   */
  get value(): ValueOf<T> {
    const c = this.#c;
    return read(c, c.get(0, true));
  }

  /** Writes the value (a number, a bigint for `q`/`Q`, or a boolean), without a lock. */
  set value(v: InputOf<T>) {
    this.#c.set(0, v, true);
  }

  /**
   * The canonical typecode (`'i'` for `'int32'` or `'c_int'`).
   *
   * @example
   * ```ts
   * new RawValue('float64').typecode; // 'd'
   * ```
   */
  get typecode(): string {
    return this.#c.info.code;
  }

  /**
   * Python's repr of the ctypes object: `c_int(5)`, `c_double(2.5)`, `c_char(b'x')`.
   *
   * @example
   * ```ts
   * String(new RawValue('i', 5)); // 'c_int(5)'
   * ```
   */
  toString(): string {
    const c = this.#c;
    return `${c.info.ctype}(${pyElement(c.info, c.get(0, true))})`;
  }

  /** Node's `util.inspect` (and so `console.log`) shows {@link toString}'s Python repr. */
  [inspect](): string {
    return this.toString();
  }
}
Object.defineProperty(RawValueImpl, 'name', { value: 'RawValue' });

registerClass(RawValueImpl, RAW_VALUE, () => new RawValueImpl('i'));

/**
 * A value in shared memory without a lock (Python's `RawValue`: a ctypes object). See
 * {@link RawValue}.
 *
 * @example
 * ```ts
 * const stop: RawValue<'b'> = new RawValue('b', 0);
 * ```
 */
export interface RawValue<T extends Typecode = Typecode> extends RawValueImpl<T> {}

/**
 * The type of {@link RawValue}: constructible with `new`, callable without.
 *
 * @example
 * ```ts
 * const make: RawValueConstructor = RawValue;
 * const v = make('d', 0.5);
 * ```
 */
export interface RawValueConstructor {
  new <T extends Typecode>(typecode: T, initial?: InputOf<T> | null): RawValue<T>;
  <T extends Typecode>(typecode: T, initial?: InputOf<T> | null): RawValue<T>;
  /** For `instanceof RawValue`. */
  readonly prototype: RawValue;
}

/**
 * A value in shared memory without a lock: Python's `RawValue(typecode, initial)`. `.value` is a
 * plain load or store on the memory (a broker round trip in a spawned process).
 *
 * @example
 * ```ts
 * const flag = new RawValue('b', 0);
 * flag.value = 1;
 * String(flag); // 'c_byte(1)'
 * ```
 */
export const RawValue = callable(RawValueImpl) as RawValueConstructor;
