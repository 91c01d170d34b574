/**
 * The broker's side of a queue (runs only in the broker thread of the root process, which lives
 * as long as the program): the overflow store and its drain loop.
 *
 * It receives items that cannot go into the ring now: puts from spawn children (which cannot map
 * the segment), buffers handed over by root threads (too big, too much, or exiting), and items
 * larger than a frame, which it writes as fragments while holding the writers' lock. The store is
 * a list of frame buffers in arrival order; runs of frames go into the ring with one copy. It
 * never blocks: every wait is an `Atomics.waitAsync`.
 */
import { FrameBuffer } from './frames.js';
import { frameBytes, WLOCK } from './layout.js';
import type { Segment } from './segment.js';
import { idleOn } from './waiting.js';

const DRAIN_SLICE_MS = 1000;

export class BrokerSide {
  readonly #seg: Segment;
  readonly #joinable: boolean;
  /** Items waiting for the ring, oldest first: runs of frames, or one big item. */
  readonly #chunks: Array<FrameBuffer | Uint8Array> = [];
  #draining = false;

  constructor(seg: Segment, joinable: boolean) {
    this.#seg = seg;
    this.#joinable = joinable;
  }

  /** One item put by a remote producer; `counted` when a bounded put reserved its slot. */
  put(item: Uint8Array, counted = false): void {
    const seg = this.#seg;
    if (!counted) seg.countPut(this.#joinable);
    if (this.#chunks.length === 0 && seg.overflow() === 0 && frameBytes(item.length) <= seg.maxInline && seg.tryLock(WLOCK)) {
      const written = seg.writeOne(item);
      seg.unlock(WLOCK);
      if (written) return;
    }
    if (frameBytes(item.length) > seg.maxInline) this.#hold(item);
    else {
      const chunk = new FrameBuffer();
      chunk.push(item);
      this.#hold(chunk);
    }
  }

  /** A batch of frames put by a remote producer (not counted yet). */
  putFrames(frames: Uint8Array, count: number): void {
    const seg = this.#seg;
    seg.countPut(this.#joinable, count);
    const chunk = new FrameBuffer(frames, count);
    if (this.#chunks.length === 0 && seg.overflow() === 0 && seg.tryLock(WLOCK)) {
      const n = chunk.run(seg.free(), seg.maxInline);
      if (n > 0) seg.writeRun(chunk.runBytes());
      seg.unlock(WLOCK);
      chunk.consumeRun(n);
    }
    if (chunk.count > 0) this.#hold(chunk);
  }

  /** A root thread's buffer: counted in the size and in OVERFLOW by its sender. */
  accept(frames: Uint8Array, count: number): void {
    this.#chunks.push(new FrameBuffer(frames, count));
    void this.#drain();
  }

  /** A root thread's item too big for one frame (counted by its sender). */
  acceptBig(item: Uint8Array): void {
    this.#chunks.push(item);
    void this.#drain();
  }

  #hold(chunk: FrameBuffer | Uint8Array): void {
    this.#seg.addOverflow(chunk instanceof FrameBuffer ? chunk.count : 1);
    this.#chunks.push(chunk);
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    const seg = this.#seg;
    try {
      while (this.#chunks.length > 0) {
        const chunk = this.#chunks[0]!;
        if (chunk instanceof FrameBuffer && chunk.count === 0) {
          this.#chunks.shift();
          continue;
        }
        const locked = seg.lock(WLOCK);
        if (locked !== true) {
          await idleOn(seg, locked, locked.slice);
          continue;
        }
        if (!(chunk instanceof FrameBuffer) || frameBytes(chunk.firstLength()) > seg.maxInline) {
          await this.#writeBig(chunk instanceof FrameBuffer ? chunk.first() : chunk);
          seg.unlock(WLOCK);
          if (chunk instanceof FrameBuffer) chunk.consume(1);
          else this.#chunks.shift();
          seg.subOverflow(1);
          continue;
        }
        const space = seg.spaceWait();
        const n = chunk.run(seg.free(), seg.maxInline);
        if (n > 0) seg.writeRun(chunk.runBytes());
        seg.unlock(WLOCK);
        if (n > 0) {
          chunk.consumeRun(n);
          seg.subOverflow(n);
        } else await idleOn(seg, space, DRAIN_SLICE_MS);
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Writes a big item as fragments, holding WLOCK (the caller's) across the waits for room. */
  async #writeBig(item: Uint8Array): Promise<void> {
    const seg = this.#seg;
    let offset = 0;
    while (offset < item.length) {
      const space = seg.spaceWait();
      const next = seg.writeFragment(item, offset);
      if (next === offset) await idleOn(seg, space, DRAIN_SLICE_MS);
      offset = next;
    }
  }
}
