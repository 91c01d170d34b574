/**
 * Server-side Queue (Python's `queue.Queue`, which a manager's Queue and JoinableQueue both are):
 * FIFO, optional `maxsize`, `taskDone`/`join` accounting.
 *
 * Invariants: items wait in `#items[#head..]`; a getter waits only while that is empty and a
 * putter only while it holds `maxsize` items. Hand-overs keep FIFO order without re-checks: a
 * put with a getter waiting gives the item straight to that getter; a get that frees a slot
 * while a putter waits lets that putter's item in at once (its wake callback pushes it). The
 * wait queues only ever wake callers still waiting, so no item is given to a client that left.
 * `#unfinished` counts items put and not yet marked done.
 */
import { ValueError } from '@mp/context';
import { Empty, Full } from '@mp/queue';
import { currentCaller } from '../caller.js';
import { timeoutOf, WaitQueue } from '../wait-queue.js';
import { blockingOf } from './locks.js';

export class QueueReferent {
  readonly maxsize: number;
  #items: unknown[] = [];
  #head = 0;
  #unfinished = 0;
  readonly #getters = new WaitQueue();
  readonly #putters = new WaitQueue();
  readonly #joiners = new WaitQueue();

  constructor(maxsize?: unknown) {
    const m = maxsize === undefined || maxsize === null ? 0 : maxsize;
    if (typeof m !== 'number' || !Number.isInteger(m)) throw new TypeError(`maxsize must be an integer, not ${String(m)}`);
    this.maxsize = m;
  }

  qsize(): number {
    return this.#items.length - this.#head;
  }
  empty(): boolean {
    return this.qsize() === 0;
  }
  full(): boolean {
    return this.maxsize > 0 && this.qsize() >= this.maxsize;
  }

  #push(item: unknown): void {
    this.#unfinished++;
    if (this.#getters.wakeOne(item) === null) this.#items.push(item);
  }

  #take(): unknown {
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#putters.wakeOne();
    return item;
  }

  put(item: unknown, block?: boolean | null, timeout?: number | null): void | Promise<void> {
    if (!this.full()) {
      this.#push(item);
      return;
    }
    if (!blockingOf(block)) throw new Full();
    return this.#putters.wait(timeoutOf(timeout), currentCaller(), () => this.#push(item)).then((ok) => {
      if (!ok) throw new Full();
    });
  }
  putNowait(item: unknown): void {
    void this.put(item, false);
  }
  get(block?: boolean | null, timeout?: number | null): unknown {
    if (this.qsize() > 0) return this.#take();
    if (!blockingOf(block)) throw new Empty();
    let item: unknown;
    return this.#getters
      .wait(timeoutOf(timeout), currentCaller(), (payload) => {
        item = payload;
      })
      .then((ok) => {
        if (!ok) throw new Empty();
        return item;
      });
  }
  getNowait(): unknown {
    return this.get(false);
  }
  taskDone(): void {
    if (this.#unfinished <= 0) throw new ValueError('task_done() called too many times: call it once per item got from the queue');
    if (--this.#unfinished === 0) this.#joiners.wakeAll();
  }
  join(): void | Promise<void> {
    if (this.#unfinished === 0) return;
    return this.#joiners.wait(null, currentCaller()).then(() => undefined);
  }
  toString(): string {
    return `<Queue(maxsize=${this.maxsize}) qsize=${this.qsize()}>`;
  }
}
