import { Deadline } from '@mp/context/spi';
import { ValueError } from '@mp/context';
import type { Core } from './internal/core.js';
import { encodeItem } from './internal/item.js';
import { attachOrCreate, checkMaxsize, kindFor } from './internal/kinds.js';

/**
 * A multi-producer, multi-consumer FIFO queue between processes (Python's
 * `multiprocessing.Queue`). It works from every context: the main thread, `thread` children
 * (shared memory, no messages), `spawn` children (through the root's broker) and their own
 * children; pass it to a child as a `Process` argument and it arrives live.
 *
 * Items are serialized at `put` (functions, class instances and errors too, see @mp/serialize),
 * so changing an object after putting it changes nothing in the queue. Items of one producer come
 * out in the order they were put. An unbounded `put` never waits: what does not fit in the shared
 * ring is buffered by the producer and handed to the broker, so a child can exit while its items
 * are still unread (no Python-style "join a process that put to a queue" deadlock).
 *
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { Process, Queue } from 'multiprocess';
 *
 * const q = new Queue<string>();
 * const p = new Process({ target: (q: Queue<string>) => q.put('hello world'), args: [q] });
 * await p.start();
 * console.log(await q.get()); // hello world
 * await p.join();
 * ```
 */
export class Queue<T = unknown> {
  readonly #core: Core;
  readonly #maxsize: number;
  #closed = false;
  #used = false;

  /**
   * @param maxsize - the most items the queue holds (Python's semaphore: items count from `put`
   *   until a `get` takes them); `0` or less = unbounded.
   */
  constructor(maxsize = 0) {
    const size = checkMaxsize(maxsize);
    this.#core = attachOrCreate(this, kindFor(new.target), size);
    this.#maxsize = this.#core.handle.meta.maxsize;
  }

  /** The bound given at creation (0 = unbounded). */
  get maxsize(): number {
    return this.#maxsize;
  }

  #open(): Core {
    if (this.#closed) {
      throw new ValueError(`Queue ${this.toString()} is closed: put() and get() cannot be used after close() (close a queue only when this process is done with it)`);
    }
    this.#used = true;
    return this.#core;
  }

  /**
   * Puts `item` in the queue. On an unbounded queue it never waits. With a `maxsize`, it waits
   * for a free slot (forever, or `timeout` ms) and rejects with {@link Full} when there is none;
   * `block = false` does not wait at all.
   *
   * @param item - any serializable value; serialized now.
   * @param block - wait for a free slot (bounded queues).
   * @param timeout - ms to wait; `undefined`/`null` = forever, negative = 0.
   * @example
   * ```ts
   * const q = new Queue<number>(2);
   * await q.put(1);
   * await q.put(2, true, 100);          // waits up to 100 ms for room
   * await q.put(3, false).catch(console.log); // Full
   * ```
   */
  async put(item: T, block = true, timeout?: number | null): Promise<void> {
    const core = this.#open();
    if (this.#maxsize === 0) core.putNow(item);
    else await core.putBounded(encodeItem(item), block, new Deadline(timeout));
  }

  /**
   * Blocking twin of {@link Queue.put}, for synchronous code: blocks this thread while a bounded
   * queue is full, and throws {@link Full} after `timeout` ms or at once with `block = false`.
   *
   * @example
   * ```ts
   * q.putSync({ id: 1 });
   * ```
   */
  putSync(item: T, block = true, timeout?: number | null): void {
    const core = this.#open();
    if (this.#maxsize === 0) core.putNow(item);
    else core.putBoundedSync(encodeItem(item), block, new Deadline(timeout));
  }

  /**
   * `putSync(item, false)`: puts without waiting; throws {@link Full} when a bounded queue is full.
   *
   * @example
   * ```ts
   * try { q.putNowait(job); } catch (e) { if (e instanceof Full) dropped++; }
   * ```
   */
  putNowait(item: T): void {
    this.putSync(item, false);
  }

  /**
   * Takes the next item, waiting for one (forever, or `timeout` ms); rejects with {@link Empty}
   * when none came, or at once with `block = false` if none is there.
   *
   * @param block - wait for an item.
   * @param timeout - ms to wait; `undefined`/`null` = forever, negative = 0.
   * @example
   * ```ts
   * const item = await q.get();            // waits as long as needed
   * const soon = await q.get(true, 500);   // Empty after 500 ms
   * ```
   */
  async get(block = true, timeout?: number | null): Promise<T> {
    return (await this.#open().get(block, new Deadline(timeout))) as T;
  }

  /**
   * Blocking twin of {@link Queue.get}: blocks this thread until an item comes; throws
   * {@link Empty} after `timeout` ms, or at once with `block = false`.
   *
   * @example
   * ```ts
   * const item = q.getSync(true, 1000);
   * ```
   */
  getSync(block = true, timeout?: number | null): T {
    return this.#open().getSync(block, new Deadline(timeout)) as T;
  }

  /**
   * `getSync(false)`: an item if one is there now, else throws {@link Empty}.
   *
   * @example
   * ```ts
   * const drained: unknown[] = [];
   * for (;;) { try { drained.push(q.getNowait()); } catch { break; } }
   * ```
   */
  getNowait(): T {
    return this.getSync(false);
  }

  /**
   * The number of items put and not yet taken, across all processes: it counts items still
   * buffered by their producer or held by the broker, which a `get` will see shortly.
   *
   * @example
   * ```ts
   * await q.put('a'); q.qsize(); // 1
   * ```
   */
  qsize(): number {
    return this.#core.size();
  }

  /**
   * `qsize() === 0`. After `close()` of a queue this object used, throws (as Python's does).
   *
   * @example
   * ```ts
   * if (!q.empty()) console.log(await q.get());
   * ```
   */
  empty(): boolean {
    if (this.#closed && this.#used) throw new ValueError(`Queue ${this.toString()} is closed: empty() cannot be used after close()`);
    return this.#core.size() === 0;
  }

  /**
   * True when a bounded queue holds `maxsize` items (always false when unbounded).
   *
   * @example
   * ```ts
   * const q = new Queue(1); q.putNowait(1); q.full(); // true
   * ```
   */
  full(): boolean {
    return this.#maxsize > 0 && this.#core.size() >= this.#maxsize;
  }

  /**
   * Says this process will put and get no more through this object. Items it buffered are still
   * delivered (flushed now). Other processes and other objects of the same queue are unaffected.
   * Calling it twice is fine.
   *
   * @example
   * ```ts
   * q.close();
   * await q.joinThread();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#core.flush();
  }

  /**
   * Resolves once the items this object buffered are in the queue (Python's `join_thread`,
   * which waits for the feeder thread). It never waits for a reader: what the ring cannot take
   * is handed to the broker.
   *
   * @example
   * ```ts
   * for (const x of data) await q.put(x);
   * q.close();
   * await q.joinThread();
   * ```
   */
  joinThread(): Promise<void> {
    this.#core.flush();
    return Promise.resolve();
  }

  /**
   * Lets this process exit without delivering the items this object still buffers (they are
   * dropped), as Python's `cancel_join_thread` ("allow exit without flush").
   *
   * @example
   * ```ts
   * q.cancelJoinThread();
   * ```
   */
  cancelJoinThread(): void {
    this.#core.cancelJoinThread();
  }

  /** `close()` then `joinThread()`: `await using q = new Queue()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.joinThread();
  }

  /** `close()`: `using q = new Queue()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `<Queue(maxsize=0)>`. */
  toString(): string {
    return `<${this.constructor.name}(maxsize=${this.#maxsize})>`;
  }

  /** Node's util.inspect shows the same text. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
