/**
 * Waiting for a {@link Wait} of segment.ts, three ways: blocking (`…Sync` methods), async with the
 * event loop kept alive (awaited user calls), and async without keeping it alive (background
 * feeders, which must never hold a program open, as Python's feeder threads can).
 */
import { type Deadline, holdLoop, releaseLoop, waitSync } from '@mp/context/spi';
import { RuntimeError } from '@mp/context';
import { RLOCK, WLOCK } from './layout.js';
import type { Segment, Wait } from './segment.js';

/** Blocks until the wait's word changes, a notify, the slice or the deadline. */
export function blockOn(seg: Segment, wait: Wait, deadline: Deadline): void {
  if ((wait.index === RLOCK || wait.index === WLOCK) && wait.value === seg.token) {
    throw new RuntimeError(
      'a blocking queue call would wait for an async get() of this same thread that is reading a large item: await the pending get() first',
    );
  }
  const ms = deadline.slice(wait.slice);
  Atomics.add(seg.i32, wait.waiters, 1);
  if (wait.flag >= 0) Atomics.store(seg.i32, wait.flag, 0);
  try {
    waitSync(seg.i32, wait.index, wait.value, ms);
  } finally {
    Atomics.sub(seg.i32, wait.waiters, 1);
  }
}

/**
 * Loads an async waiter checks before sleeping. Short on purpose: an async wake-up costs an
 * event-loop turn whatever we do, and on a loaded 2-core machine a 1000-load spin per wait (the
 * SPI's waitAsync) was CPU taken from the producer without a measurable gain in throughput.
 */
const ASYNC_SPIN = 100;

/**
 * Resolves when the wait's word changes, a notify, the slice or the deadline, keeping the event
 * loop alive meanwhile (on Node 20 a pending `Atomics.waitAsync` does not).
 */
export async function awaitOn(seg: Segment, wait: Wait, deadline: Deadline): Promise<void> {
  const i32 = seg.i32;
  for (let i = 0; i < ASYNC_SPIN; i++) if (Atomics.load(i32, wait.index) !== wait.value) return;
  const ms = deadline.slice(wait.slice);
  Atomics.add(i32, wait.waiters, 1);
  if (wait.flag >= 0) Atomics.store(i32, wait.flag, 0);
  try {
    const result = Atomics.waitAsync(i32, wait.index, wait.value, ms);
    if (!result.async) return;
    holdLoop();
    try {
      await result.value;
    } finally {
      releaseLoop();
    }
  } finally {
    Atomics.sub(i32, wait.waiters, 1);
  }
}

/** Like {@link awaitOn} but does not keep the event loop alive (for background loops). */
export async function idleOn(seg: Segment, wait: Wait, ms: number): Promise<void> {
  Atomics.add(seg.i32, wait.waiters, 1);
  if (wait.flag >= 0) Atomics.store(seg.i32, wait.flag, 0);
  try {
    const result = Atomics.waitAsync(seg.i32, wait.index, wait.value, Math.min(ms, wait.slice));
    if (result.async) await result.value;
  } finally {
    Atomics.sub(seg.i32, wait.waiters, 1);
  }
}
