/**
 * Reading items out of the ring (see layout.ts for the layout and the invariants): under the
 * readers' lock, one frame at a time, each commit through the journal; the lock is held across
 * the fragments of a big item. Primitives are decoded straight from the ring (no copy).
 */
import { decodeInPlace, NOT_TAGGED } from './item.js';
import {
  CONT,
  DATA_NOTIFIED,
  DATA_WAITERS,
  frameBytes,
  HEADER_BYTES,
  ITEMS_READ,
  JR_ITEMS,
  JR_POS,
  JR_VALID,
  LEN_MASK,
  MORE,
  READ_POS,
  RLOCK,
  SIZE_NOTIFIED,
  SIZE_WAITERS,
  SPACE_NOTIFIED,
  SPACE_WAITERS,
  WRITE_POS,
} from './layout.js';
import { FOREVER_SLICE_MS, type Segment, type Wait, wake } from './segment.js';

/** The state of one get across calls of {@link readStep} (big items span several frames). */
export class ReadOp {
  /** Decode primitives straight from the ring (root consumers); the broker wants bytes. */
  readonly inPlace: boolean;
  /** The item, when readStep returned DECODED. */
  value: unknown = undefined;
  out: Uint8Array | null = null;
  filled = 0;
  skipping = false;
  holding = false;

  constructor(inPlace: boolean) {
    this.inPlace = inPlace;
  }
}

/** readStep's result when the item was decoded in place (it is in `op.value`). */
export const DECODED: unique symbol = Symbol('decoded');

/**
 * True when a frame is there at `rp`. Uses the cached WRITE_POS, re-read only when it says
 * "empty" (or is too stale to say anything), so a consumer with items ahead of it does not pull
 * the writers' cache line on every get.
 */
function hasData(seg: Segment, rp: number): boolean {
  let ahead = (seg.cachedWritePos - rp) | 0;
  if (ahead <= 0 || ahead > seg.capacity) {
    seg.cachedWritePos = Atomics.load(seg.i32, WRITE_POS);
    ahead = (seg.cachedWritePos - rp) | 0;
  }
  return ahead > 0;
}

/** Waiting for data: WRITE_POS to move from the value hasData() just read. */
function dataWait(seg: Segment): Wait {
  return { index: WRITE_POS, value: seg.cachedWritePos, waiters: DATA_WAITERS, slice: FOREVER_SLICE_MS, flag: DATA_NOTIFIED };
}

/**
 * Takes the next item out of the ring: its bytes, or what to wait for. Holds RLOCK across the
 * fragments of a big item (`op.holding`); call again with the same `op` after the wait.
 */
export function readStep(seg: Segment, op: ReadOp): Uint8Array | Wait | typeof DECODED {
  const i32 = seg.i32;
  if (!op.holding) {
    if (!hasData(seg, Atomics.load(i32, READ_POS))) return dataWait(seg);
    const locked = seg.lock(RLOCK);
    if (locked !== true) return locked;
    op.holding = true;
  }
  for (;;) {
    const rp = Atomics.load(i32, READ_POS);
    if (!hasData(seg, rp)) {
      if (op.out === null && !op.skipping) releaseRead(seg, op);
      return dataWait(seg);
    }
    const wp = seg.cachedWritePos;
    const off = rp & seg.mask;
    const header = i32[(HEADER_BYTES + off) >> 2]! >>> 0;
    const length = header & LEN_MASK;
    const more = (header & MORE) !== 0;
    const data = (off + 4) & seg.mask;
    if (op.out === null && !op.skipping) {
      if ((header & CONT) !== 0) op.skipping = true; // the rest of a dead reader's item
      else if (!more && op.inPlace && data + length <= seg.capacity) {
        const value = decodeInPlace(seg.buffer, data, length);
        if (value !== NOT_TAGGED) {
          commitRead(seg, (rp + frameBytes(length)) | 0, (Atomics.load(i32, ITEMS_READ) + 1) | 0, wp, true);
          releaseRead(seg, op);
          op.value = value;
          return DECODED;
        }
        op.out = new Uint8Array(length);
        copyOut(seg, op.out, 0, data, length);
        op.filled = length;
      } else if (more) {
        op.out = new Uint8Array(i32[(HEADER_BYTES + data) >> 2]!);
        copyOut(seg, op.out, 0, (data + 4) & seg.mask, length - 4);
        op.filled = length - 4;
      } else {
        op.out = new Uint8Array(length);
        copyOut(seg, op.out, 0, data, length);
        op.filled = length;
      }
    } else if (!op.skipping) {
      copyOut(seg, op.out!, op.filled, data, length);
      op.filled += length;
    }
    const items = more ? Atomics.load(i32, ITEMS_READ) : (Atomics.load(i32, ITEMS_READ) + 1) | 0;
    commitRead(seg, (rp + frameBytes(length)) | 0, items, wp, !more);
    if (more) continue;
    const out = op.skipping ? null : op.out;
    op.out = null;
    op.skipping = false;
    op.filled = 0;
    if (out !== null) {
      releaseRead(seg, op);
      return out;
    }
  }
}

/** Gives RLOCK back (also when a get is abandoned mid-item: the next reader skips the rest). */
export function releaseRead(seg: Segment, op: ReadOp): void {
  if (!op.holding) return;
  op.holding = false;
  seg.unlock(RLOCK);
}

function copyOut(seg: Segment, out: Uint8Array, at: number, from: number, length: number): void {
  const first = seg.capacity - from;
  if (length <= first) out.set(seg.ring.subarray(from, from + length), at);
  else {
    out.set(seg.ring.subarray(from, seg.capacity), at);
    out.set(seg.ring.subarray(0, length - first), at + first);
  }
}

function commitRead(seg: Segment, rp: number, items: number, wp: number, itemDone: boolean): void {
  const i32 = seg.i32;
  Atomics.store(i32, JR_POS, rp);
  Atomics.store(i32, JR_ITEMS, items);
  Atomics.store(i32, JR_VALID, 1);
  Atomics.store(i32, READ_POS, rp);
  Atomics.store(i32, ITEMS_READ, items);
  Atomics.store(i32, JR_VALID, 0);
  if (seg.capacity - ((wp - rp) | 0) >= seg.lowWater) wake(i32, READ_POS, SPACE_WAITERS, SPACE_NOTIFIED);
  if (itemDone) wake(i32, ITEMS_READ, SIZE_WAITERS, SIZE_NOTIFIED);
}
