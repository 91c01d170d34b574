/**
 * Context factories: `ctx.Lock()`, `ctx.RLock()`, `ctx.Semaphore(v)`, ... on every context of
 * @mp/context (Python's `get_context('spawn').Lock()`). The primitives are the same whatever the
 * start method: shared memory in the root process, reached through the broker from spawned ones.
 */
import { type BaseContext } from '@mp/context';
import { defineContextMethods } from '@mp/context/spi';
import { Barrier } from './barrier.js';
import { Condition } from './condition.js';
import { Event } from './event.js';
import { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { BoundedSemaphore, Semaphore } from './semaphore.js';
import { SharedLock } from './shared-lock.js';

declare module '@mp/context' {
  interface BaseContext {
    /**
     * A new {@link Lock}.
     *
     * @example
     * ```ts
     * const lock = getContext('spawn').Lock();
     * ```
     */
    Lock(): Lock;
    /**
     * A new {@link RLock}.
     *
     * @example
     * ```ts
     * const lock = ctx.RLock();
     * ```
     */
    RLock(): RLock;
    /**
     * A new {@link Semaphore} with `value` units (default 1).
     *
     * @example
     * ```ts
     * const sem = ctx.Semaphore(3);
     * ```
     */
    Semaphore(value?: number): Semaphore;
    /**
     * A new {@link BoundedSemaphore} with `value` units (default 1).
     *
     * @example
     * ```ts
     * const slots = ctx.BoundedSemaphore(2);
     * ```
     */
    BoundedSemaphore(value?: number): BoundedSemaphore;
    /**
     * A new {@link Event}.
     *
     * @example
     * ```ts
     * const done = ctx.Event();
     * ```
     */
    Event(): Event;
    /**
     * A new {@link Condition} over `lock` (a new RLock if omitted).
     *
     * @example
     * ```ts
     * const cond = ctx.Condition();
     * ```
     */
    Condition(lock?: Lock | RLock | null): Condition;
    /**
     * A new {@link Barrier}.
     *
     * @example
     * ```ts
     * const barrier = ctx.Barrier(3);
     * ```
     */
    Barrier(parties: number, action?: (() => unknown) | null, timeout?: number | null): Barrier;
    /**
     * A new {@link SharedLock}.
     *
     * @example
     * ```ts
     * const rw = ctx.SharedLock();
     * ```
     */
    SharedLock(): SharedLock;
  }
}

defineContextMethods({
  Lock: () => new Lock(),
  RLock: () => new RLock(),
  Semaphore: (value?: number) => new Semaphore(value),
  BoundedSemaphore: (value?: number) => new BoundedSemaphore(value),
  Event: () => new Event(),
  Condition: (lock?: Lock | RLock | null) => new Condition(lock),
  Barrier: (parties: number, action?: (() => unknown) | null, timeout?: number | null) => new Barrier(parties, action, timeout),
  SharedLock: () => new SharedLock(),
} satisfies Record<string, (this: BaseContext, ...args: never[]) => unknown>);

