import { runtime } from '@mp/context/spi';
import { type ArrayObj, arrayObj } from './array-base.js';
import { SharedMemoryUnavailableError } from './errors.js';
import { cellsOf } from './internal/registry.js';
import { setOwnView } from './internal/view-codec.js';
import { newRawArrayCells } from './raw-shared-array.js';
import type { ArrayInitializer, Typecode } from './typecodes.js';

/**
 * The type of {@link RawArray}: callable, and usable with `new` (which returns the same typed array).
 *
 * @example
 * ```ts
 * const make: RawArrayFunction = RawArray;
 * const view = new make('i', 3); // Int32Array
 * ```
 */
export interface RawArrayFunction {
  <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>): ArrayObj<T>;
  new <T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>): ArrayObj<T>;
}

/**
 * A typed array on shared memory, without a lock: Python's `RawArray(typecode, size_or_initializer)`.
 * It is a real typed array (`Int32Array` for `'i'`, `Float64Array` for `'d'`, a Buffer with
 * `.value`/`.raw` for `'c'`) on a SharedArrayBuffer, so reads and writes are plain memory
 * accesses with no call at all.
 *
 * Only where the memory is truly shared: in the root process and its `thread` children. Passed
 * as a Process argument to a thread child it arrives as the same memory (same type, offset and
 * length); passed to a spawn child it arrives as a live stand-in (indexing and `length` work,
 * one broker round trip each — never a copy). Calling `RawArray()` in a spawned process throws
 * a {@link SharedMemoryUnavailableError} that says to use `SharedArray` or the `thread` method.
 *
 * @example
 * ```ts
 * import { Process, RawArray } from 'multiprocess';
 *
 * const data = RawArray('d', 1_000_000);          // Float64Array on shared memory
 * const fill = (a: Float64Array, from: number, to: number) => a.fill(1, from, to);
 * const ps = [new Process({ target: fill, args: [data, 0, 500_000] }),
 *             new Process({ target: fill, args: [data, 500_000, 1_000_000] })];
 * for (const p of ps) await p.start();
 * for (const p of ps) await p.join();
 * console.log(data.reduce((a, b) => a + b)); // 1000000: the children wrote our memory
 * ```
 */
export const RawArray = function RawArray(typecode: Typecode, sizeOrInitializer: number | ArrayInitializer<Typecode>) {
  const rt = runtime();
  if (rt.root === null && rt.brokerDir !== null) {
    throw new SharedMemoryUnavailableError(
      'RawArray() returns a typed array on shared memory, which this spawned process cannot map (shared values live in the root process). ' +
        "Use SharedArray(typecode, size, { lock: false }) — the same data through the broker — or create the RawArray in the root process " +
        "or a 'thread' child (getContext('thread')) and pass it along.",
    );
  }
  return arrayObj(newRawArrayCells(typecode, sizeOrInitializer), 'RawArray()');
} as unknown as RawArrayFunction;

setOwnView((owner) => {
  const withObj = owner as { getObj?: () => unknown };
  return typeof withObj.getObj === 'function' ? withObj.getObj() : arrayObj(cellsOf(owner), 'RawArray()');
});
