/**
 * Semaphore over VALUE, WAITERS, RECLAIMED and a holder table (see layout.ts, holders.ts).
 *
 * Invariants:
 * - VALUE ≥ 0 is the number of units available; acquire is a CAS VALUE v → v-1 (v > 0), then the
 *   unit is recorded in the holder table for the acquirer's token; release removes one record of
 *   the releaser (if it has one: a release by a non-holder is a signal, as Python allows) and
 *   adds 1 to VALUE, waking one sleeper only if WAITERS > 0 (the same sleeper/releaser ordering
 *   as lock-core.ts, so no wake-up is lost).
 * - BoundedSemaphore: a release that would take VALUE above the initial value throws.
 * - Dead holders: units recorded for a dead token are given back, but never above the initial
 *   value: units beyond it were signals (a `Semaphore(0)` released by one process and acquired
 *   by another), not resources, and giving them back would invent signals. Sleepers reclaim every
 *   SLICE_MS; `getValue()` reclaims too, so it reports units that are really available.
 */
import { type Deadline } from '@mp/context/spi';
import { TooManyReleasesError } from '../errors.js';
import { type Algorithm, waitFor } from './drive.js';
import { holdersAdd, holdersReclaim, holdersRemove } from './holders.js';
import { S_HOLDERS, S_RECLAIMED, S_VALUE, S_WAITERS, SLICE_MS } from './layout.js';

const MAX_VALUE = 0x7fffffff;

/** One non-blocking attempt. */
export function trySem(w: Int32Array, token: number): boolean {
  for (;;) {
    const v = Atomics.load(w, S_VALUE);
    if (v <= 0) return false;
    if (Atomics.compareExchange(w, S_VALUE, v, v - 1) === v) {
      holdersAdd(w, S_HOLDERS, token);
      return true;
    }
  }
}

/** Gives back the units of dead holders (up to the initial value); returns how many. */
export function semReclaim(w: Int32Array, initial: number): number {
  const dead = holdersReclaim(w, S_HOLDERS);
  if (dead === 0) return 0;
  for (;;) {
    const v = Atomics.load(w, S_VALUE);
    const add = Math.min(dead, Math.max(0, initial - v));
    if (add === 0) return 0;
    if (Atomics.compareExchange(w, S_VALUE, v, v + add) === v) {
      Atomics.add(w, S_RECLAIMED, add);
      Atomics.notify(w, S_VALUE, add);
      return add;
    }
  }
}

/**
 * The slow path of acquire. Returns the number of units this wait reclaimed from dead holders
 * plus one (so 0 = not acquired, 1 = acquired, n > 1 = acquired after giving back n - 1).
 */
export function* semWait(w: Int32Array, token: number, initial: number, deadline: Deadline): Algorithm<number> {
  let reclaimed = semReclaim(w, initial);
  Atomics.add(w, S_WAITERS, 1);
  let got = false;
  try {
    for (;;) {
      if (trySem(w, token)) {
        got = true;
        return 1 + reclaimed;
      }
      if (deadline.expired()) return 0;
      const result = yield waitFor(w, S_VALUE, 0, deadline.slice(SLICE_MS));
      if (result === 'timed-out') reclaimed += semReclaim(w, initial);
    }
  } finally {
    Atomics.sub(w, S_WAITERS, 1);
    // Aborted after a release meant to wake us: pass the wake-up on.
    if (!got && Atomics.load(w, S_VALUE) > 0 && Atomics.load(w, S_WAITERS) > 0) Atomics.notify(w, S_VALUE, 1);
  }
}

/** Release one unit; `max` < 0 means unbounded. */
export function semRelease(w: Int32Array, token: number, max: number, name: string): void {
  for (;;) {
    const v = Atomics.load(w, S_VALUE);
    if (max >= 0 && v >= max) {
      throw new TooManyReleasesError(
        `Semaphore released too many times: this ${name} is already at its maximum value ${max}. Release only units you acquired.`,
      );
    }
    if (v >= MAX_VALUE) throw new TooManyReleasesError(`Semaphore released too many times: the value cannot exceed ${MAX_VALUE}`);
    if (Atomics.compareExchange(w, S_VALUE, v, v + 1) === v) break;
  }
  holdersRemove(w, S_HOLDERS, token);
  if (Atomics.load(w, S_WAITERS) !== 0) Atomics.notify(w, S_VALUE, 1);
}

export function semValue(w: Int32Array): number {
  return Atomics.load(w, S_VALUE);
}
