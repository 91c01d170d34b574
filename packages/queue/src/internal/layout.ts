/**
 * The memory layout of a queue segment (one SharedArrayBuffer per queue, made in the root
 * process; see DESIGN.md "Where shared state lives").
 *
 * ```
 * bytes [0, HEADER_BYTES)              header: Int32 words in five cache lines, indexes below
 * bytes [HEADER_BYTES, +capacity)      the ring: frames, each [u32 header][payload][pad to 4]
 * ```
 *
 * A frame header is `length | CONT | MORE`: `length` (bits 0-29) counts payload bytes, `CONT`
 * (bit 30) marks a fragment that continues the previous frame's item, `MORE` (bit 31) says more
 * fragments of this item follow. Small items are one frame (no flag). Items too big for one frame
 * are written only by the broker, as a first fragment whose payload starts with the item's total
 * length (u32), then CONT fragments, the last without MORE.
 *
 * Positions (`WRITE_POS`, `READ_POS`) count bytes since creation modulo 2^32; the capacity is a
 * power of two, so `pos & (capacity - 1)` is the offset in the ring and `(WRITE_POS - READ_POS) | 0`
 * the bytes in use. `ITEMS_ADDED - ITEMS_READ` (mod 2^32) is the queue's size (Python's qsize):
 * an item counts from its `put`, also while it waits in a producer's buffer or the broker.
 *
 * Invariants:
 * - Each isolate caches the last `WRITE_POS` it read (readers) and `READ_POS` (writers) and
 *   re-reads the word only when the cached value says "empty"/"full": a stale value only
 *   understates data and room, so the decision is safe, and the word's cache line stays put.
 * - `WRITE_POS` is stored only by the holder of `WLOCK`, after the frame's bytes are written
 *   (one atomic store publishes a whole frame: a writer that dies earlier published nothing).
 * - `READ_POS`/`ITEMS_READ` are stored only by the holder of `RLOCK`, through the journal
 *   (`JR_*`): the new values are written to `JR_POS`/`JR_ITEMS`, then `JR_VALID = 1`, then the two
 *   words, then `JR_VALID = 0`. A reader that takes `RLOCK` over from a dead holder (its liveness
 *   token is dead) re-applies a valid journal, so a half-done commit is completed, and a commit
 *   that had not started leaves the item in the ring for the next reader.
 * - A lock word holds 0 (free) or the liveness token of its holder. A waiter that finds the holder
 *   dead takes the lock over by CAS. `RLOCK` is held across the fragments of one big item; a
 *   reader that takes over mid-item skips the rest of that item (it belonged to the dead reader).
 * - `OVERFLOW` counts items handed to the broker (by root threads, which add before sending, or
 *   by the broker for remote puts) and not yet written into the ring. While it is non-zero, no
 *   root thread writes to the ring directly, so each producer's items keep their order.
 * - Waiter counters (`*_WAITERS`) are incremented around a futex wait; a writer/reader notifies
 *   only when the matching counter is non-zero and it sets the matching `*_NOTIFIED` flag, which
 *   every waiter clears before sleeping. Each wait re-checks a word it loaded before testing its
 *   condition, so a change in between (notified or not) makes the wait return at once.
 */

/*
 * Header word indexes (Int32), grouped by who writes them into separate 64-byte cache lines:
 * with every word on one line, a producer and a consumer on two cores moved that line back and
 * forth on each of their ~15 atomic operations per item (see the README's design notes).
 */

// Line 0: fixed at creation, or written rarely.
export const MAGIC = 0;
export const CAPACITY = 1;
export const MAXSIZE = 2;
export const FLAGS = 3;
/** Items held by the broker, not yet in the ring (futex: notified when it drops to 0). */
export const OVERFLOW = 4;
export const OVERFLOW_WAITERS = 5;
/** JoinableQueue: items put and not yet marked done (futex of join()). */
export const UNFINISHED = 6;
export const JOIN_WAITERS = 7;

// Line 1: writers.
/** Writers' lock: 0 or the holder's token. */
export const WLOCK = 16;
export const WLOCK_WAITERS = 17;
/** Bytes written (futex of readers waiting for data). */
export const WRITE_POS = 18;
/** Items put (counted at put time). */
export const ITEMS_ADDED = 19;

// Line 2: readers.
/** Readers' lock: 0 or the holder's token. */
export const RLOCK = 32;
export const RLOCK_WAITERS = 33;
/** Bytes read (futex of writers waiting for space). */
export const READ_POS = 34;
/** Items taken out of the ring (futex of bounded puts waiting for a free slot). */
export const ITEMS_READ = 35;
/** The readers' commit journal. */
export const JR_VALID = 36;
export const JR_POS = 37;
export const JR_ITEMS = 38;

// Lines 3 and 4: sleepers (written only around a futex wait; read by every publish/commit).
/**
 * `*_NOTIFIED` are the "already notified" flags of the three data futexes: a notifier wakes
 * sleepers only when it turns the flag from 0 to 1, and every waiter clears it before it sleeps.
 * So while a woken consumer is on its way (an async wake-up goes through its event loop),
 * producers do not pay a futex wake per put.
 */
export const DATA_WAITERS = 48;
export const DATA_NOTIFIED = 49;
export const SPACE_WAITERS = 64;
export const SPACE_NOTIFIED = 65;
export const SIZE_WAITERS = 66;
export const SIZE_NOTIFIED = 67;

export const HEADER_WORDS = 80;
export const HEADER_BYTES = HEADER_WORDS * 4;

/** `MAGIC` value: tags the segment as a queue of this layout version. */
export const MAGIC_VALUE = 0x51554531; // 'QUE1'

/** `FLAGS` bits. */
export const FLAG_JOINABLE = 1;

/** Frame header bits. */
export const LEN_MASK = 0x3fff_ffff;
export const CONT = 0x4000_0000;
export const MORE = 0x8000_0000;

/** Default ring size: 256 KiB (see the README's design notes for the measurement). */
export const DEFAULT_CAPACITY = 256 * 1024;

/** Bytes a frame with `length` payload bytes occupies in the ring. */
export function frameBytes(length: number): number {
  return 4 + ((length + 3) & ~3);
}
