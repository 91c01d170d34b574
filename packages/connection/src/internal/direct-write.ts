/**
 * Writing a batch straight to the OS pipe or socket, as Python's `send` does, instead of queueing
 * it in Node when the kernel buffer is full.
 *
 * Why: a sender that calls `send()` in a synchronous loop never returns to its event loop, so
 * whatever Node queued could only leave after the loop: the receiver would idle while the
 * sender produced, then the sender idle while the receiver drained (time = sum, not max). An OS
 * pipe holds 64 KiB; when it is full, waiting a moment for the reader to make room (as Python's
 * blocking `send` does) lets both sides work at once. The wait is bounded
 * ({@link WAIT_BUDGET_MS} per batch): a reader that is not reading (the same process, or a busy
 * one) costs at most that, after which the rest is queued in Node as usual, so `send()` never
 * blocks for long and never deadlocks.
 *
 * Only used when nothing is queued in Node for that socket (`writableLength === 0`), so bytes
 * never overtake earlier ones.
 */
import fs from 'node:fs';

/** The longest a batch waits for room in the OS buffer before it is queued instead. */
export const WAIT_BUDGET_MS = 10;

const PAUSE_MS = 0.05;
const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes what fits of `chunk` to the non-blocking `fd`, waiting up to {@link WAIT_BUDGET_MS} in
 * short sleeps while the buffer is full. Returns the bytes written; throws on a broken pipe.
 */
export function writeDirect(fd: number, chunk: Uint8Array): number {
  let offset = 0;
  let waited = 0;
  for (;;) {
    try {
      offset += fs.writeSync(fd, chunk, offset, chunk.byteLength - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
    if (offset === chunk.byteLength || waited >= WAIT_BUDGET_MS) return offset;
    // Short, even sleeps: a reader drains 64 KiB in well under a millisecond.
    Atomics.wait(cell, 0, 0, PAUSE_MS);
    waited += PAUSE_MS;
  }
}
