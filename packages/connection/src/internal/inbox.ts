/**
 * Received messages of one connection, in arrival order, and whoever waits for them.
 *
 * Invariants:
 * - `#frames[#head..]` are whole messages not yet taken; pending readers exist only while that
 *   range is empty (a frame that arrives goes to the oldest reader first).
 * - once `#end` is set no frame is added; readers and later takes see the end only after every
 *   frame before it was taken (messages sent before a close are never lost).
 * - `onDemand(true)` is called when the first reader or listener appears, `onDemand(false)` when
 *   the last one goes: the transport keeps the event loop alive only while someone waits.
 */
import type { Sidecar } from '@mp/serialize/spi';

interface Reader {
  resolve(frame: Uint8Array): void;
  reject(error: Error): void;
}

export class Inbox {
  #frames: Uint8Array[] = [];
  #head = 0;
  #sidecars: WeakMap<Uint8Array, Sidecar> | null = null;
  #end: (() => Error) | null = null;
  readonly #readers: Reader[] = [];
  readonly #listeners = new Set<() => void>();
  #demand = false;
  onDemand: (wanted: boolean) => void = () => {};

  /** Messages waiting to be taken. */
  get size(): number {
    return this.#frames.length - this.#head;
  }

  /** True when no message will ever come again (the end was reached and everything taken). */
  get atEnd(): boolean {
    return this.#end !== null && this.size === 0;
  }

  /** A message or the end is there: a read would not wait. */
  get ready(): boolean {
    return this.size > 0 || this.#end !== null;
  }

  push(frame: Uint8Array, sidecar?: Sidecar): void {
    if (this.#end !== null) return;
    if (sidecar !== undefined) (this.#sidecars ??= new WeakMap()).set(frame, sidecar);
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      this.#updateDemand();
      reader.resolve(frame);
    } else {
      this.#frames.push(frame);
    }
    this.#notify();
  }

  /** No more messages: `error()` makes the error that readers get once the queue is empty. */
  end(error: () => Error): void {
    if (this.#end !== null) return;
    this.#end = error;
    for (const reader of this.#readers.splice(0)) reader.reject(error());
    this.#updateDemand();
    this.#notify();
  }

  /** The end error, if the end was reached. */
  endError(): Error | null {
    return this.#end?.() ?? null;
  }

  /** The next message if there is one (never waits). */
  take(): Uint8Array | undefined {
    if (this.#head >= this.#frames.length) return undefined;
    const frame = this.#frames[this.#head]!;
    this.#frames[this.#head++] = undefined as unknown as Uint8Array;
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
    return frame;
  }

  /** The next message, waiting for it; rejects at the end. */
  next(): Promise<Uint8Array> {
    const frame = this.take();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.#end !== null) return Promise.reject(this.#end());
    return new Promise((resolve, reject) => {
      this.#readers.push({ resolve, reject });
      this.#updateDemand();
    });
  }

  sidecarOf(frame: Uint8Array): Sidecar | undefined {
    return this.#sidecars?.get(frame);
  }

  /** Takes every waiting message (to hand them to another process with the connection). */
  drain(): Uint8Array[] {
    const frames = this.#frames.slice(this.#head);
    this.#frames = [];
    this.#head = 0;
    return frames;
  }

  /** Calls `listener` whenever a message arrives or the end is reached. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#updateDemand();
    return () => {
      this.#listeners.delete(listener);
      this.#updateDemand();
    };
  }

  #notify(): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) listener();
  }

  #updateDemand(): void {
    const wanted = this.#end === null && (this.#readers.length > 0 || this.#listeners.size > 0);
    if (wanted !== this.#demand) {
      this.#demand = wanted;
      this.onDemand(wanted);
    }
  }
}
