/**
 * Context factories: `ctx.Value(...)`, `ctx.RawValue(...)`, `ctx.Array(...)` /
 * `ctx.SharedArray(...)`, `ctx.RawArray(...)` on every context of @mp/context (Python's
 * `get_context('spawn').Value('i', 0)`). The objects are the same whatever the start method:
 * memory of the root process, reached through the broker from spawned processes.
 */
import type { BaseContext } from '@mp/context';
import { defineContextMethods } from '@mp/context/spi';
import type { ArrayObj } from './array-base.js';
import type { RawSharedArray } from './raw-shared-array.js';
import { SharedArray } from './shared-array.js';
import type { LockLike } from './lock-like.js';
import { RawArray } from './raw-array.js';
import type { ArrayInitializer, InputOf, Typecode } from './typecodes.js';
import { RawValue } from './raw-value.js';
import { Value } from './value.js';

declare module '@mp/context' {
  interface BaseContext {
    /**
     * A new synchronized {@link Value} (a {@link RawValue} with `{ lock: false }`).
     *
     * @example
     * ```ts
     * const n = getContext('spawn').Value('i', 0);
     * ```
     */
    Value<T extends Typecode>(typecode: T, initial: InputOf<T> | null | undefined, options: { lock: false }): RawValue<T>;
    Value<T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: { lock?: true | LockLike | null } | LockLike): Value<T>;
    Value<T extends Typecode>(typecode: T, initial?: InputOf<T> | null, options?: { lock?: boolean | LockLike | null } | boolean | LockLike): Value<T> | RawValue<T>;
    /**
     * A new {@link RawValue}.
     *
     * @example
     * ```ts
     * const flag = ctx.RawValue('b', 0);
     * ```
     */
    RawValue<T extends Typecode>(typecode: T, initial?: InputOf<T> | null): RawValue<T>;
    /**
     * A new synchronized {@link SharedArray} (Python's `ctx.Array`).
     *
     * @example
     * ```ts
     * const arr = ctx.Array('i', 10);
     * ```
     */
    Array<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options: { lock: false }): RawSharedArray<T>;
    Array<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: true | LockLike | null } | LockLike): SharedArray<T>;
    Array<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: boolean | LockLike | null } | boolean | LockLike): SharedArray<T> | RawSharedArray<T>;
    /**
     * A new synchronized {@link SharedArray} (the same as `ctx.Array`).
     *
     * @example
     * ```ts
     * const arr = ctx.SharedArray('d', [1.5, 2.5]);
     * ```
     */
    SharedArray<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options: { lock: false }): RawSharedArray<T>;
    SharedArray<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: true | LockLike | null } | LockLike): SharedArray<T>;
    SharedArray<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>, options?: { lock?: boolean | LockLike | null } | boolean | LockLike): SharedArray<T> | RawSharedArray<T>;
    /**
     * A new {@link RawArray}: a typed array on shared memory (root process and thread children only).
     *
     * @example
     * ```ts
     * const view = getContext('thread').RawArray('d', 1024); // Float64Array
     * ```
     */
    RawArray<T extends Typecode>(typecode: T, sizeOrInitializer: number | ArrayInitializer<T>): ArrayObj<T>;
  }
}

defineContextMethods({
  Value,
  RawValue,
  Array: SharedArray,
  SharedArray,
  RawArray,
} as unknown as Record<string, (this: BaseContext, ...args: never[]) => unknown>);

