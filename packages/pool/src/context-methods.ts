/**
 * `ctx.Pool(...)` on every context: a Pool whose workers use that context's start method.
 */
import { type BaseContext } from '@mp/context';
import { defineContextMethods } from '@mp/context/spi';
import { isOptionsObject, type PoolOptions } from './options.js';
import { Pool } from './pool.js';

declare module '@mp/context' {
  interface BaseContext {
    /**
     * A Pool whose workers use this context's start method (Python's `ctx.Pool(...)`).
     *
     * @example
     * ```ts
     * const pool = getContext('spawn').Pool(2);
     * console.log(await pool.map((x: number) => x + 1, [1, 2, 3])); // [2, 3, 4]
     * await pool.terminate();
     * ```
     */
    Pool(options?: PoolOptions | number | null): Pool;
    Pool(
      processes: number | null | undefined,
      initializer?: ((...args: never[]) => unknown) | null,
      initargs?: readonly unknown[] | null,
      maxTasksPerChild?: number | null,
    ): Pool;
  }
}

defineContextMethods({
  Pool(this: BaseContext, ...args: unknown[]): Pool {
    const first = args[0];
    if (isOptionsObject(first)) return new Pool({ ...(first as PoolOptions), context: (first as PoolOptions).context ?? this });
    const [processes, initializer, initargs, maxTasksPerChild] = args as [number | null | undefined, PoolOptions['initializer'], PoolOptions['initargs'], number | null | undefined];
    return new Pool({ processes, initializer, initargs, maxTasksPerChild, context: this });
  },
});
