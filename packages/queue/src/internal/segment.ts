/**
 * The algorithms of a queue over its segment: two locks (writers, readers), frame writes and
 * reads on the ring, the readers' commit journal, the size and unfinished-task counters. See
 * layout.ts for the state layout and the invariants these functions keep.
 *
 * Nothing here waits: an operation that cannot proceed returns a {@link Wait} (which word to wait
 * on, the value seen, which waiter counter to bump), and the caller waits synchronously or
 * asynchronously (waiting.ts). The same algorithm thus serves `getSync` and `get`. Reading is in
 * reader.ts.
 */
import { isTokenAlive, runtime } from '@mp/context/spi';
import { writeStringItem } from './item.js';
import {
  CONT,
  DATA_NOTIFIED,
  DATA_WAITERS,
  frameBytes,
  HEADER_BYTES,
  ITEMS_ADDED,
  ITEMS_READ,
  JOIN_WAITERS,
  JR_ITEMS,
  JR_POS,
  JR_VALID,
  LEN_MASK,
  MORE,
  OVERFLOW,
  OVERFLOW_WAITERS,
  READ_POS,
  RLOCK,
  SIZE_NOTIFIED,
  SIZE_WAITERS,
  SPACE_NOTIFIED,
  SPACE_WAITERS,
  UNFINISHED,
  WRITE_POS,
} from './layout.js';

/** What an operation that cannot proceed waits for: `i32[index]` to differ from `value`. */
export interface Wait {
  readonly index: number;
  readonly value: number;
  /** Waiter counter to hold while waiting (so that the other side notifies). */
  readonly waiters: number;
  /** Longest single sleep (ms): lock waits wake up to check whether the holder died. */
  readonly slice: number;
  /** The word's "already notified" flag, cleared before sleeping (-1: none). */
  readonly flag: number;
}

/** Wakes the sleepers of `i32[index]` unless a wake-up is already on its way (see layout.ts). */
export function wake(i32: Int32Array, index: number, waiters: number, flag: number): void {
  if (Atomics.load(i32, waiters) > 0 && Atomics.compareExchange(i32, flag, 0, 1) === 0) Atomics.notify(i32, index);
}

const LOCK_SLICE_MS = 100;
export const FOREVER_SLICE_MS = 1000;
const LOCK_SPIN = 100;

export class Segment {
  readonly i32: Int32Array;
  readonly ring: Uint8Array;
  /** The ring as a Buffer (for in-place UTF-8 decoding). */
  readonly buffer: Buffer;
  readonly capacity: number;
  readonly mask: number;
  /** Largest frame a root thread writes itself; bigger items go through the broker in fragments. */
  readonly maxInline: number;
  /** Readers wake waiting writers once this much space is free. */
  readonly lowWater: number;
  readonly maxsize: number;
  /** This isolate's liveness token (lock owner id). */
  readonly token: number;
  /** The last WRITE_POS this isolate read (readers re-read it only when it says "empty"). */
  cachedWritePos: number;
  /** The last READ_POS this isolate read (writers re-read it only when it says "full"). */
  #readPos: number;

  constructor(sab: SharedArrayBuffer, capacity: number, maxsize: number) {
    this.i32 = new Int32Array(sab, 0, (HEADER_BYTES + capacity) >> 2);
    this.ring = new Uint8Array(sab, HEADER_BYTES, capacity);
    this.buffer = Buffer.from(sab, HEADER_BYTES, capacity);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxInline = capacity >> 2;
    this.lowWater = capacity >> 2;
    this.maxsize = maxsize;
    this.token = runtime().token || 0x3fff_ffff;
    this.cachedWritePos = Atomics.load(this.i32, WRITE_POS);
    this.#readPos = Atomics.load(this.i32, READ_POS);
  }

  // ---- locks -------------------------------------------------------------------------------

  /** Tries to take the lock at `index`; takes it over from a dead holder. */
  lock(index: number): true | Wait {
    const i32 = this.i32;
    const me = this.token;
    for (let i = 0; i < LOCK_SPIN; i++) {
      const seen = Atomics.load(i32, index);
      if (seen === 0 && Atomics.compareExchange(i32, index, 0, me) === 0) return true;
    }
    const holder = Atomics.load(i32, index);
    if (holder === 0) return this.lock(index);
    if (holder !== me && !isTokenAlive(holder) && Atomics.compareExchange(i32, index, holder, me) === holder) {
      if (index === RLOCK) this.#repairReaders();
      return true;
    }
    return { index, value: holder, waiters: index + 1, slice: LOCK_SLICE_MS, flag: -1 };
  }

  /** One attempt, no spinning: true if taken. */
  tryLock(index: number): boolean {
    return Atomics.compareExchange(this.i32, index, 0, this.token) === 0;
  }

  unlock(index: number): void {
    Atomics.store(this.i32, index, 0);
    if (Atomics.load(this.i32, index + 1) > 0) Atomics.notify(this.i32, index, 1);
  }

  /** A dead reader may have left a half-applied commit: finish it from the journal. */
  #repairReaders(): void {
    const i32 = this.i32;
    if (Atomics.load(i32, JR_VALID) !== 1) return;
    Atomics.store(i32, READ_POS, Atomics.load(i32, JR_POS));
    Atomics.store(i32, ITEMS_READ, Atomics.load(i32, JR_ITEMS));
    Atomics.store(i32, JR_VALID, 0);
  }

  // ---- counters ----------------------------------------------------------------------------

  size(): number {
    return (Atomics.load(this.i32, ITEMS_ADDED) - Atomics.load(this.i32, ITEMS_READ)) | 0;
  }

  /** Counts `n` new items (unbounded queues). */
  countPut(joinable: boolean, n = 1): void {
    Atomics.add(this.i32, ITEMS_ADDED, n);
    if (joinable) Atomics.add(this.i32, UNFINISHED, n);
  }

  /** Forgets `n` counted items that will never be written (dropped after cancelJoinThread). */
  uncount(n: number, joinable: boolean): void {
    Atomics.sub(this.i32, ITEMS_ADDED, n);
    if (joinable && Atomics.sub(this.i32, UNFINISHED, n) === n && Atomics.load(this.i32, JOIN_WAITERS) > 0) Atomics.notify(this.i32, UNFINISHED);
  }

  /** A bounded put counts its task once its slot is reserved. */
  addUnfinished(): void {
    Atomics.add(this.i32, UNFINISHED, 1);
  }

  /** Bounded queues: takes a slot (size < maxsize) or says what to wait for. */
  reserve(): true | Wait {
    const i32 = this.i32;
    for (;;) {
      const read = Atomics.load(i32, ITEMS_READ);
      const added = Atomics.load(i32, ITEMS_ADDED);
      if (((added - read) | 0) >= this.maxsize) return { index: ITEMS_READ, value: read, waiters: SIZE_WAITERS, slice: FOREVER_SLICE_MS, flag: SIZE_NOTIFIED };
      if (Atomics.compareExchange(i32, ITEMS_ADDED, added, (added + 1) | 0) === added) return true;
    }
  }

  /** JoinableQueue.task_done(): false when called more times than items were put. */
  taskDone(): boolean {
    const i32 = this.i32;
    for (;;) {
      const n = Atomics.load(i32, UNFINISHED);
      if (n <= 0) return false;
      if (Atomics.compareExchange(i32, UNFINISHED, n, n - 1) === n) {
        if (n === 1 && Atomics.load(i32, JOIN_WAITERS) > 0) Atomics.notify(i32, UNFINISHED);
        return true;
      }
    }
  }

  /** JoinableQueue.join(): done when no task is unfinished. */
  joinStep(): true | Wait {
    const n = Atomics.load(this.i32, UNFINISHED);
    return n <= 0 ? true : { index: UNFINISHED, value: n, waiters: JOIN_WAITERS, slice: FOREVER_SLICE_MS, flag: -1 };
  }

  overflow(): number {
    return Atomics.load(this.i32, OVERFLOW);
  }

  addOverflow(n: number): void {
    Atomics.add(this.i32, OVERFLOW, n);
  }

  subOverflow(n: number): void {
    if (Atomics.sub(this.i32, OVERFLOW, n) === n && Atomics.load(this.i32, OVERFLOW_WAITERS) > 0) Atomics.notify(this.i32, OVERFLOW);
  }

  // ---- writing (caller holds WLOCK) ---------------------------------------------------------

  /** Free bytes now (re-reads READ_POS). */
  free(): number {
    this.#readPos = Atomics.load(this.i32, READ_POS);
    return this.capacity - ((Atomics.load(this.i32, WRITE_POS) - this.#readPos) | 0);
  }

  /** Free bytes at `wp` from the cached READ_POS, re-read when that says less than `need`. */
  #room(wp: number, need: number): number {
    let free = this.capacity - ((wp - this.#readPos) | 0);
    if (free < need || free > this.capacity) {
      this.#readPos = Atomics.load(this.i32, READ_POS);
      free = this.capacity - ((wp - this.#readPos) | 0);
    }
    return free;
  }

  /** What a writer waits for when the ring is too full: a reader moving READ_POS. */
  spaceWait(): Wait {
    return { index: READ_POS, value: Atomics.load(this.i32, READ_POS), waiters: SPACE_WAITERS, slice: FOREVER_SLICE_MS, flag: SPACE_NOTIFIED };
  }

  /** Writes one item as a frame if it fits; false otherwise. */
  writeOne(item: Uint8Array): boolean {
    const i32 = this.i32;
    const wp = Atomics.load(i32, WRITE_POS);
    const need = frameBytes(item.length);
    if (need > this.#room(wp, need)) return false;
    this.#publish(this.#frame(wp, item.length, item, 0, item.length, -1));
    return true;
  }

  /** Copies a run of whole frames (FrameBuffer.run) into the ring; the caller checked it fits. */
  writeRun(frames: Uint8Array): void {
    const wp = Atomics.load(this.i32, WRITE_POS);
    this.#copyIn(wp & this.mask, frames, 0, frames.length);
    this.#publish((wp + frames.length) | 0);
  }

  /**
   * Writes a string item straight into the ring (no intermediate bytes) when its frame fits
   * without wrapping; false otherwise (the caller encodes it and uses writeFrames).
   */
  writeString(item: string, byteLength: number): boolean {
    const i32 = this.i32;
    const wp = Atomics.load(i32, WRITE_POS);
    const length = 1 + byteLength;
    if (frameBytes(length) > this.#room(wp, frameBytes(length))) return false;
    const off = wp & this.mask;
    const data = (off + 4) & this.mask;
    if (data + length > this.capacity) return false;
    if (!writeStringItem(this.buffer, data, item, byteLength)) return false;
    i32[(HEADER_BYTES + off) >> 2] = length;
    this.#publish((wp + frameBytes(length)) | 0);
    return true;
  }

  /**
   * Writes the next fragment of a big item (broker only, holding WLOCK across fragments).
   * Returns the new offset into `item`, or `offset` unchanged when there is too little space.
   */
  writeFragment(item: Uint8Array, offset: number): number {
    const i32 = this.i32;
    const wp = Atomics.load(i32, WRITE_POS);
    const free = this.free();
    const first = offset === 0;
    if (first && frameBytes(item.length) <= free) {
      this.#publish(this.#frame(wp, item.length, item, 0, item.length, -1));
      return item.length;
    }
    if (free < Math.min(this.lowWater, frameBytes(item.length - offset))) return offset;
    const room = (free - 4) & ~3;
    const prefix = first ? 4 : 0;
    const take = Math.min(item.length - offset, room - prefix);
    const more = offset + take < item.length;
    const header = (take + prefix) | (first ? 0 : CONT) | (more ? MORE : 0);
    this.#publish(this.#frame(wp, header, item, offset, offset + take, first ? item.length : -1));
    return offset + take;
  }

  /** Writes one frame at `wp` (header, optional total-length prefix, bytes); returns the new position. */
  #frame(wp: number, header: number, src: Uint8Array, from: number, to: number, total: number): number {
    const off = wp & this.mask;
    this.i32[(HEADER_BYTES + off) >> 2] = header | 0;
    let data = (off + 4) & this.mask;
    if (total >= 0) {
      this.i32[(HEADER_BYTES + data) >> 2] = total;
      data = (data + 4) & this.mask;
    }
    this.#copyIn(data, src, from, to);
    return (wp + frameBytes(header & LEN_MASK)) | 0;
  }

  #copyIn(at: number, src: Uint8Array, from: number, to: number): void {
    const length = to - from;
    const first = this.capacity - at;
    if (length <= first) this.ring.set(from === 0 && to === src.length ? src : src.subarray(from, to), at);
    else {
      this.ring.set(src.subarray(from, from + first), at);
      this.ring.set(src.subarray(from + first, to), 0);
    }
  }

  #publish(wp: number): void {
    Atomics.store(this.i32, WRITE_POS, wp);
    wake(this.i32, WRITE_POS, DATA_WAITERS, DATA_NOTIFIED);
  }
}
