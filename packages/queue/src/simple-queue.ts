import { Deadline } from '@mp/context/spi';
import { ValueError } from '@mp/context';
import type { Core } from './internal/core.js';
import { attachOrCreate, SIMPLE_KIND } from './internal/kinds.js';

const forever = new Deadline(null);

/**
 * A simplified unbounded queue (Python's `multiprocessing.SimpleQueue`): `put`, `get`, `empty`,
 * `close`. From a spawn child every `put` is sent at once (a `Queue` batches the puts of one
 * event-loop turn), so an item is in the queue when `put` returns.
 *
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { Process, SimpleQueue } from 'multiprocess';
 *
 * const q = new SimpleQueue<number>();
 * const p = new Process({ target: (q: SimpleQueue<number>) => q.put(42), args: [q] });
 * await p.start();
 * console.log(await q.get()); // 42
 * await p.join();
 * ```
 */
export class SimpleQueue<T = unknown> {
  readonly #core: Core;
  #closed = false;

  constructor() {
    this.#core = attachOrCreate(this, SIMPLE_KIND, 0);
  }

  #open(): Core {
    if (this.#closed) throw new ValueError('SimpleQueue is closed: put(), get() and empty() cannot be used after close()');
    return this.#core;
  }

  /**
   * Puts `item` (serialized now). Never waits.
   *
   * @example
   * ```ts
   * await q.put({ id: 1 });
   * ```
   */
  async put(item: T): Promise<void> {
    this.#open().putNow(item);
  }

  /**
   * Synchronous twin of {@link SimpleQueue.put}.
   *
   * @example
   * ```ts
   * q.putSync('done');
   * ```
   */
  putSync(item: T): void {
    this.#open().putNow(item);
  }

  /**
   * Takes the next item, waiting as long as needed.
   *
   * @example
   * ```ts
   * const item = await q.get();
   * ```
   */
  async get(): Promise<T> {
    return (await this.#open().get(true, forever)) as T;
  }

  /**
   * Blocking twin of {@link SimpleQueue.get}.
   *
   * @example
   * ```ts
   * const item = q.getSync();
   * ```
   */
  getSync(): T {
    return this.#open().getSync(true, forever) as T;
  }

  /**
   * True when no item is waiting (items put by any process and not yet taken).
   *
   * @example
   * ```ts
   * while (!q.empty()) console.log(await q.get());
   * ```
   */
  empty(): boolean {
    return this.#open().size() === 0;
  }

  /**
   * Says this process is done with this object; later calls throw. Calling it twice is fine.
   *
   * @example
   * ```ts
   * q.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#core.flush();
  }

  /** `close()`: `using q = new SimpleQueue()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `<SimpleQueue>`. */
  toString(): string {
    return '<SimpleQueue>';
  }

  /** Node's util.inspect shows the same text. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
