/**
 * A FIFO of waiting callers for the server-side primitives (locks, conditions, queues...).
 *
 * Invariants:
 * - an entry is in `#entries` while its promise is pending; it leaves exactly once, by a wake
 *   (resolves true), its timeout or its caller's signal (resolves false): whoever removes it
 *   settles it, so a wake never goes to a waiter that has already given up (a dead client or
 *   an expired timeout cannot swallow a wake-up, or a lock handed over);
 * - `wakeOne` returns the caller it woke, or null when nobody waited, so a resource can be handed
 *   over directly (a lock stays locked and changes owner) or kept.
 * The server's event loop is single-threaded: none of these interleave.
 */
import type { Caller } from './caller.js';

interface Entry {
  readonly caller: Caller;
  readonly resolve: (woken: boolean) => void;
  readonly onAbort: () => void;
  timer: NodeJS.Timeout | undefined;
  payload: unknown;
}

/** Python's timeout rules, in milliseconds: undefined/null = forever, negative = 0. */
export function timeoutOf(timeout: unknown): number | null {
  if (timeout === undefined || timeout === null) return null;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw new TypeError(`timeout must be a number of milliseconds or null, not ${String(timeout)}`);
  return Math.max(0, timeout);
}

/** A deadline (performance.now() based) for a timeout; null = none. */
export function deadlineOf(timeout: number | null): number | null {
  return timeout === null ? null : performance.now() + timeout;
}

/** What is left until a deadline (null = forever), never negative. */
export function remaining(deadline: number | null): number | null {
  return deadline === null ? null : Math.max(0, deadline - performance.now());
}

export class WaitQueue {
  readonly #entries = new Set<Entry>();

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Waits until woken (true), or `timeout` ms pass or the caller goes away (false). A timeout
   * of 0 resolves false at once. `onWake` receives the waker's payload, synchronously at the wake.
   */
  wait(timeout: number | null, caller: Caller, onWake?: (payload: unknown) => void): Promise<boolean> {
    if (timeout === 0 || caller.signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const entry: Entry = {
        caller,
        resolve: (woken) => {
          if (woken) onWake?.(entry.payload);
          resolve(woken);
        },
        onAbort: () => this.#drop(entry),
        timer: undefined,
        payload: undefined,
      };
      if (timeout !== null) entry.timer = setTimeout(entry.onAbort, timeout);
      caller.signal.addEventListener('abort', entry.onAbort, { once: true });
      this.#entries.add(entry);
    });
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.caller.signal.removeEventListener('abort', entry.onAbort);
  }

  #drop(entry: Entry): void {
    if (!this.#entries.has(entry)) return;
    this.#remove(entry);
    entry.resolve(false);
  }

  /** Wakes the longest waiter (giving it `payload`); returns its caller, or null if none waits. */
  wakeOne(payload?: unknown): Caller | null {
    for (const entry of this.#entries) {
      this.#remove(entry);
      entry.payload = payload;
      entry.resolve(true);
      return entry.caller;
    }
    return null;
  }

  /** Wakes up to `n` waiters; returns how many. */
  wake(n: number, payload?: unknown): number {
    let woken = 0;
    while (woken < n && this.wakeOne(payload) !== null) woken++;
    return woken;
  }

  /** Wakes every waiter; returns how many. */
  wakeAll(payload?: unknown): number {
    return this.wake(Number.POSITIVE_INFINITY, payload);
  }
}
