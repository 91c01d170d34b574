/**
 * Socket writes not yet handed to the kernel, per connection and per isolate. A child ends with
 * `process.exit()`, which drops such writes, so @mp/context awaits {@link flushPendingWrites}
 * before its children exit: `conn.send(bigThing)` as the last act of a target still arrives
 * (Python's `send` blocks until the bytes are in the OS pipe, which gives the same guarantee).
 */
import { FrameWriter } from './frame-writer.js';

const KEY = Symbol.for('@mp/connection.writeTrackers');
type Holder = typeof globalThis & { [KEY]?: Set<WriteTracker> };

function active(): Set<WriteTracker> {
  return ((globalThis as Holder)[KEY] ??= new Set());
}

/** Counts the writes in flight of one connection. */
export class WriteTracker {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  started(): void {
    if (this.#count++ === 0) active().add(this);
  }

  finished(): void {
    if (--this.#count > 0) return;
    active().delete(this);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves when no write is in flight. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

export function trackWrites(): WriteTracker {
  return new WriteTracker();
}

/**
 * Sends every batched message of this isolate and resolves once all socket writes have left
 * Node (SPI: @mp/context calls it before a child exits).
 *
 * @example
 * ```ts
 * import { flushPendingWrites } from '@mp/connection/spi';
 * await flushPendingWrites();
 * process.exit(code);
 * ```
 */
export async function flushPendingWrites(): Promise<void> {
  FrameWriter.flushAll();
  while (active().size > 0) await Promise.all([...active()].map((t) => t.idle()));
}
