/**
 * A queue object in a spawn child (or a thread of one): it cannot map the root's memory, so every
 * operation is run by the root's broker on the queue's broker-side instance.
 *
 * Unbounded puts are fire-and-forget messages on the child's ordered sync channel (`h.send`).
 * The broker protocol costs ~10-25 µs per message here, so puts are batched: the first put of a
 * turn of the event loop is sent at once, later ones of the same turn are packed and sent when
 * 64 KiB have gathered, at the end of the turn (setImmediate), before any other call of this
 * object, and at exit. A SimpleQueue sends every put at once (Python's SimpleQueue.put writes
 * synchronously). Gets return the item's bytes, decoded here: the broker never decodes user data.
 */
import { type Deadline, type RemoteHandle } from '@mp/context/spi';
import type { Core, QueueMeta } from './core.js';
import { setBuffered } from './exit.js';
import { FrameBuffer } from './frames.js';
import { decodeItem, decodeItemAsync, encodeItem } from './item.js';

/** Measured: 64 KiB batches cost less CPU per item than 16 KiB ones (2.5 vs 3.0 µs in the root, 1.0 vs 1.4 µs in the child), and no more than 256 KiB ones. */
const BATCH_BYTES = 64 * 1024;

/** A deadline as the broker's timeout argument (ms; null = forever). */
function remaining(block: boolean, deadline: Deadline): number | null {
  if (!block) return 0;
  const ms = deadline.remaining();
  return ms === Infinity ? null : ms;
}

export class RemoteCore implements Core {
  readonly handle: RemoteHandle<QueueMeta>;
  readonly #simple: boolean;
  readonly #batch = new FrameBuffer();
  #turn: NodeJS.Immediate | null = null;
  #cancelled = false;
  /** Async bounded puts run one after another (their order is the put order). */
  #chain: Promise<unknown> = Promise.resolve();
  #attached = false;

  constructor(handle: RemoteHandle<QueueMeta>) {
    this.handle = handle;
    this.#simple = handle.meta.simple;
  }

  /**
   * The broker runs a request at once only for objects it has attached; the first request for an
   * object waits for the attachment, so a later request for another object could overtake it.
   * One round trip on first use keeps this object's operations in order with everything else.
   */
  #attach(): void {
    if (this.#attached) return;
    this.handle.callSync('queue:qsize', []);
    this.#attached = true;
  }

  putNow(item: unknown): void {
    this.#attach();
    if (this.#simple) {
      this.handle.send('queue:put', [encodeItem(item)]);
      return;
    }
    if (this.#turn === null) {
      this.handle.send('queue:put', [encodeItem(item)]);
      this.#turn = setImmediate(() => {
        this.#turn = null;
        this.flush();
      });
      this.#turn.unref();
      return;
    }
    if (this.#batch.count === 0) setBuffered(this, true);
    if (typeof item === 'string') this.#batch.pushString(item, Buffer.byteLength(item, 'utf8'));
    else this.#batch.push(encodeItem(item));
    if (this.#batch.byteLength >= BATCH_BYTES) this.flush();
  }

  flush(): void {
    const count = this.#batch.count;
    if (count === 0) return;
    const frames = this.#batch.take();
    setBuffered(this, false);
    this.handle.send('queue:putFrames', [frames, count]);
  }

  exitFlush(): void {
    if (this.#cancelled) {
      this.#batch.clear();
      setBuffered(this, false);
      return;
    }
    this.flush();
  }

  cancelJoinThread(): void {
    this.#cancelled = true;
  }

  putBounded(bytes: Uint8Array, block: boolean, deadline: Deadline): Promise<void> {
    this.#attach();
    this.flush();
    const run = this.#chain.then(() => this.handle.call('queue:putBounded', [bytes, remaining(block, deadline)]));
    this.#chain = run.catch(() => undefined);
    return run as Promise<void>;
  }

  putBoundedSync(bytes: Uint8Array, block: boolean, deadline: Deadline): void {
    this.#attach();
    this.flush();
    this.handle.callSync('queue:putBounded', [bytes, remaining(block, deadline)]);
  }

  async get(block: boolean, deadline: Deadline): Promise<unknown> {
    this.#attach();
    this.flush();
    const timeout = remaining(block, deadline);
    // A get that must not wait goes on the sync channel, after this object's puts.
    const bytes = timeout === 0 ? this.handle.callSync('queue:get', [0]) : await this.handle.call('queue:get', [timeout]);
    return decodeItemAsync(bytes as Uint8Array);
  }

  getSync(block: boolean, deadline: Deadline): unknown {
    this.#attach();
    this.flush();
    return decodeItem(this.handle.callSync('queue:get', [remaining(block, deadline)]) as Uint8Array);
  }

  size(): number {
    this.flush();
    return this.handle.callSync('queue:qsize', []) as number;
  }

  taskDone(): void {
    this.#attach();
    this.flush();
    this.handle.callSync('queue:taskDone', []);
  }

  async join(): Promise<void> {
    // The sync channel carries this object's puts; a sync call returns after the broker ran them,
    // so the join (on the async channel) cannot overtake them.
    this.size();
    await this.handle.call('queue:join', []);
  }

  joinSync(): void {
    this.#attach();
    this.flush();
    this.handle.callSync('queue:join', []);
  }
}
