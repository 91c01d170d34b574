/**
 * A single-producer, single-consumer ring of frames in a SharedArrayBuffer: the message path
 * between a manager's server and a client thread of the same process (see shared-link.ts).
 *
 * Layout of one ring (an Int32 header, then the data):
 *
 *   [0] HEAD   bytes ever written (producer-owned; wraps as Int32, differences stay exact)
 *   [1] TAIL   bytes ever read    (consumer-owned)
 *   [2] BELL   bumped by whoever wants the reader of this ring to look (the producer after
 *              writing; the other side's consumer when this ring's producer waits for room).
 *              The reader sleeps on it (Atomics.wait / waitAsync).
 *   [3] ROOM   1 while the producer holds frames that did not fit: the consumer, after
 *              reading, clears it and rings the producer's bell.
 *   [4] SLEEPERS  how many waits on BELL are pending (Atomics.wait or waitAsync): a bell is
 *              notified only when this is not 0. A sleeper increments it and then loads BELL
 *              once more before it waits; a ringer adds to BELL and then loads SLEEPERS. Both
 *              are sequentially consistent, so one of the two sees the other's write: either the
 *              sleeper sees the new BELL and does not sleep, or the ringer sees the sleeper and
 *              notifies (no lost wake-up, and no notify, which costs a system call, when the
 *              reader is awake).
 *   data       CAPACITY bytes
 *
 * A frame is `[u32 length][length bytes]`, padded to 4 bytes, so that a length word is always
 * contiguous and aligned; the bytes may wrap around the end. Invariants: 0 ≤ HEAD - TAIL ≤
 * CAPACITY; the producer writes only in [HEAD, TAIL + CAPACITY) and publishes with a store to
 * HEAD after the bytes; the consumer reads only in [TAIL, HEAD) and frees with a store to TAIL
 * after copying out. Atomics' stores and loads are sequentially consistent, so the bytes written
 * before a HEAD store are seen by a reader that loaded that HEAD.
 */
import { Buffer } from 'node:buffer';

export const HEAD = 0;
export const TAIL = 1;
export const BELL = 2;
export const ROOM = 3;
export const SLEEPERS = 4;
const HEADER_BYTES = 32;

/** Data bytes of a ring. */
export const CAPACITY = 64 * 1024;
/** The bytes of one ring, header included. */
export const RING_BYTES = HEADER_BYTES + CAPACITY;
/** The largest frame a ring carries; larger messages go over the socket (see shared-link.ts). */
export const MAX_INLINE = 16 * 1024;

const MASK = CAPACITY - 1;

function padded(n: number): number {
  return (n + 3) & ~3;
}

export class Ring {
  readonly i32: Int32Array;
  readonly #data: Buffer;
  readonly #u32: Uint32Array;

  /** The ring at `byteOffset` of `sab` (RING_BYTES long). */
  constructor(sab: SharedArrayBuffer, byteOffset: number) {
    this.i32 = new Int32Array(sab, byteOffset, HEADER_BYTES / 4);
    this.#data = Buffer.from(sab, byteOffset + HEADER_BYTES, CAPACITY);
    this.#u32 = new Uint32Array(sab, byteOffset + HEADER_BYTES, CAPACITY / 4);
  }

  /** Writes one frame made of `parts` (total `length` bytes, at most MAX_INLINE); false if there is no room now. */
  write(parts: readonly Uint8Array[], length: number): boolean {
    const i32 = this.i32;
    const head = Atomics.load(i32, HEAD);
    const used = (head - Atomics.load(i32, TAIL)) | 0;
    const need = 4 + padded(length);
    if (need > CAPACITY - used) return false;
    let at = head & MASK;
    this.#u32[at >> 2] = length;
    at = (at + 4) & MASK;
    for (const part of parts) at = this.#copyIn(part, at);
    Atomics.store(i32, HEAD, (head + need) | 0);
    return true;
  }

  /**
   * Writes one frame of `kind` followed by `text` as UTF-8 (the hot path: no intermediate
   * buffer when the text fits before the end of the data). False if there is no room now;
   * -1 when the frame would exceed MAX_INLINE.
   */
  writeText(kind: number, text: string): boolean | -1 {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const bound = 1 + 3 * text.length;
    const i32 = this.i32;
    const head = Atomics.load(i32, HEAD);
    const free = CAPACITY - ((head - Atomics.load(i32, TAIL)) | 0);
    const start = (head + 4) & MASK;
    if (bound <= MAX_INLINE && 4 + padded(bound) <= free && start + bound <= CAPACITY) {
      const data = this.#data;
      data[start] = kind;
      const length = 1 + data.write(text, start + 1, bound - 1, 'utf8');
      this.#u32[(head & MASK) >> 2] = length;
      Atomics.store(i32, HEAD, (head + 4 + padded(length)) | 0);
      return true;
    }
    const bytes = Buffer.from(text, 'utf8');
    if (1 + bytes.byteLength > MAX_INLINE) return -1;
    return this.write([KIND_BYTE[kind]!, bytes], 1 + bytes.byteLength);
  }

  #copyIn(part: Uint8Array, at: number): number {
    const n = part.byteLength;
    const first = Math.min(n, CAPACITY - at);
    this.#data.set(first === n ? part : part.subarray(0, first), at);
    if (first < n) this.#data.set(part.subarray(first), 0);
    return (at + n) & MASK;
  }

  /** True when a frame is waiting. */
  get readable(): boolean {
    return Atomics.load(this.i32, HEAD) !== Atomics.load(this.i32, TAIL);
  }

  /**
   * Reads the next frame, if any, and hands it to `use` as `bytes[start..end)` (valid only
   * during the call: `use` copies what it keeps). Returns false when the ring is empty.
   */
  read(use: (bytes: Buffer, start: number, end: number) => void): boolean {
    const i32 = this.i32;
    const tail = Atomics.load(i32, TAIL);
    if (Atomics.load(i32, HEAD) === tail) return false;
    const at = tail & MASK;
    const length = this.#u32[at >> 2]!;
    const start = (at + 4) & MASK;
    try {
      if (start + length <= CAPACITY) {
        use(this.#data, start, start + length);
      } else {
        const frame = Buffer.allocUnsafe(length);
        const first = CAPACITY - start;
        this.#data.copy(frame, 0, start, CAPACITY);
        this.#data.copy(frame, first, 0, length - first);
        use(frame, 0, length);
      }
    } finally {
      Atomics.store(i32, TAIL, (tail + 4 + padded(length)) | 0);
    }
    return true;
  }
}

const KIND_BYTE = [Uint8Array.of(0), Uint8Array.of(1), Uint8Array.of(2)];

/** Bumps the bell of a ring header and wakes its sleepers, if any. */
export function ring(i32: Int32Array): void {
  Atomics.add(i32, BELL, 1);
  if (Atomics.load(i32, SLEEPERS) !== 0) Atomics.notify(i32, BELL);
}

/** Blocks until the bell is no longer `seen`, a notify, or `ms` (counted as a sleeper). */
export function sleepSync(i32: Int32Array, seen: number, ms: number): void {
  Atomics.add(i32, SLEEPERS, 1);
  try {
    if (Atomics.load(i32, BELL) === seen) Atomics.wait(i32, BELL, seen, ms);
  } finally {
    Atomics.sub(i32, SLEEPERS, 1);
  }
}

/** Resolves when the bell is no longer `seen`, on a notify, or after `ms`: 'timed-out' or 'ok'. */
export async function sleepAsync(i32: Int32Array, seen: number, ms?: number): Promise<'ok' | 'timed-out'> {
  Atomics.add(i32, SLEEPERS, 1);
  try {
    if (Atomics.load(i32, BELL) !== seen) return 'ok';
    const wait = Atomics.waitAsync(i32, BELL, seen, ms);
    return (wait.async ? await wait.value : wait.value) === 'timed-out' ? 'timed-out' : 'ok';
  } finally {
    Atomics.sub(i32, SLEEPERS, 1);
  }
}
