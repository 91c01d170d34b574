import { ArrayBase, create } from './array-base.js';
import type { Cells } from './internal/cells.js';
import { callable } from './internal/callable.js';
import { attachedCells, RAW_ARRAY, registerClass } from './internal/kinds.js';
import { cellsOf } from './internal/registry.js';
import { pyArrayObject } from './internal/repr.js';
import type { ArrayInitializer, Typecode } from './typecodes.js';

/** Implementation of {@link RawSharedArray}. */
export class RawSharedArrayImpl<T extends Typecode = Typecode> extends ArrayBase<T> {
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

registerClass(RawSharedArrayImpl, RAW_ARRAY, () => new RawSharedArrayImpl('i', 0));

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
  /** For `instanceof RawSharedArray`. */
  readonly prototype: RawSharedArray;
}

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
