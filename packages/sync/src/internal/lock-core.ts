/**
 * Lock and RLock over four words at `b` (see layout.ts): OWNER, WAITERS, DIED, COUNT.
 *
 * State: OWNER = 0 unlocked, else the liveness token of the holder.
 *
 * Invariants and the races they avoid:
 * - Acquire is one CAS OWNER 0 → token; release stores 0, then wakes one sleeper only if
 *   WAITERS > 0. A sleeper increments WAITERS *before* it re-reads OWNER and sleeps on the value
 *   it read, and the releaser clears OWNER *before* it reads WAITERS; with sequentially consistent
 *   Atomics either the sleeper sees 0 (and retries) or the releaser sees the sleeper (and wakes
 *   it), so a wake-up is never lost. The uncontended path is a CAS and a store: no notify, no
 *   allocation.
 * - A woken sleeper may lose the CAS to a newcomer (barging): it sleeps again; the newcomer's
 *   release will wake it. A sleeper whose deadline passed still tries the CAS once more, so a
 *   wake-up meant for it is never swallowed.
 * - Dead owners: a sleeper wakes at least every SLICE_MS; if OWNER is a dead token it takes the
 *   lock over with CAS OWNER dead → token (exactly one taker) and sets DIED = 1 (and COUNT = 1).
 *   A non-blocking try does the same check. Tokens carry a generation, so a dead token is never
 *   reused for a live holder.
 * - RLock: COUNT is written only by the owner; the lock is released when it drops to 0. Being
 *   the owner's own word, it is read and written with plain (non-atomic) accesses on the fast
 *   paths: the CAS that takes OWNER and the store that clears it order them for the next owner,
 *   and other isolates read it only for a repr. (Measured: the RLock acquire+release pair of a
 *   SharedArray get() went from 2 + 3 to 1 + 1 locked instructions.)
 */
import { isTokenAlive, type Deadline } from '@mp/context/spi';
import { NotAcquiredError } from '../errors.js';
import { type Algorithm, waitFor } from './drive.js';
import { L_COUNT, L_DIED, L_OWNER, L_WAITERS, SLICE_MS } from './layout.js';

/** Result of an acquire: not acquired, acquired, or acquired from a holder that died. */
export const NOT_ACQUIRED = 0;
export const ACQUIRED = 1;
export const TAKEN_OVER = 2;
export type AcquireCode = typeof NOT_ACQUIRED | typeof ACQUIRED | typeof TAKEN_OVER;

/** One non-blocking attempt (reentrant: an RLock owner just counts up). */
export function tryLock(w: Int32Array, b: number, token: number, reentrant: boolean): AcquireCode {
  const owner = Atomics.compareExchange(w, b + L_OWNER, 0, token);
  if (owner === 0) {
    if (reentrant) w[b + L_COUNT] = 1;
    return ACQUIRED;
  }
  if (owner === token && reentrant) {
    w[b + L_COUNT] = w[b + L_COUNT]! + 1;
    return ACQUIRED;
  }
  return takeOverIfDead(w, b, token, owner);
}

function takeOverIfDead(w: Int32Array, b: number, token: number, owner: number): AcquireCode {
  if (owner <= 0 || owner === token || isTokenAlive(owner)) return NOT_ACQUIRED;
  if (Atomics.compareExchange(w, b + L_OWNER, owner, token) !== owner) return NOT_ACQUIRED;
  Atomics.store(w, b + L_COUNT, 1);
  Atomics.store(w, b + L_DIED, 1);
  return TAKEN_OVER;
}

/** The slow path of acquire: sleep until acquired, the deadline, or the caller goes away. */
export function* lockWait(w: Int32Array, b: number, token: number, reentrant: boolean, deadline: Deadline): Algorithm<AcquireCode> {
  Atomics.add(w, b + L_WAITERS, 1);
  let code: AcquireCode = NOT_ACQUIRED;
  try {
    for (;;) {
      code = tryLock(w, b, token, reentrant);
      if (code !== NOT_ACQUIRED || deadline.expired()) return code;
      const owner = Atomics.load(w, b + L_OWNER);
      if (owner === 0) continue;
      yield waitFor(w, b + L_OWNER, owner, deadline.slice(SLICE_MS));
    }
  } finally {
    Atomics.sub(w, b + L_WAITERS, 1);
    // Aborted (the caller died) after a release meant to wake us: pass the wake-up on.
    if (code === NOT_ACQUIRED && Atomics.load(w, b + L_OWNER) === 0 && Atomics.load(w, b + L_WAITERS) > 0) {
      Atomics.notify(w, b + L_OWNER, 1);
    }
  }
}

function wakeOne(w: Int32Array, b: number): void {
  if (Atomics.load(w, b + L_WAITERS) !== 0) Atomics.notify(w, b + L_OWNER, 1);
}

/** Lock.release(): any caller may release a held Lock (as in Python); an unheld one throws. */
export function unlock(w: Int32Array, b: number): void {
  if (Atomics.load(w, b + L_DIED) !== 0) Atomics.store(w, b + L_DIED, 0);
  if (Atomics.exchange(w, b + L_OWNER, 0) === 0) {
    throw new NotAcquiredError('release unlocked lock: this Lock is not held. Call release() once for each successful acquire().');
  }
  wakeOne(w, b);
}

/** RLock.release(): only the owner; the last release unlocks. */
export function runlock(w: Int32Array, b: number, token: number): void {
  if (Atomics.load(w, b + L_OWNER) !== token) {
    throw new NotAcquiredError(
      'cannot release un-acquired lock: this RLock is not held by the calling process/thread. Only its owner can release it, once per acquire().',
    );
  }
  const count = w[b + L_COUNT]!;
  if (count > 1) {
    w[b + L_COUNT] = count - 1;
    return;
  }
  w[b + L_COUNT] = 0;
  if (Atomics.load(w, b + L_DIED) !== 0) Atomics.store(w, b + L_DIED, 0);
  Atomics.store(w, b + L_OWNER, 0);
  wakeOne(w, b);
}

/** Releases a lock held by `token` completely; returns what to restore (the RLock count). */
export function releaseAll(w: Int32Array, b: number, token: number, reentrant: boolean): number {
  const count = reentrant ? Math.max(1, Atomics.load(w, b + L_COUNT)) : 1;
  Atomics.store(w, b + L_COUNT, 0);
  Atomics.store(w, b + L_DIED, 0);
  Atomics.store(w, b + L_OWNER, 0);
  wakeOne(w, b);
  return count;
}

/** Acquires (no timeout) and restores the RLock count saved by releaseAll. */
export function* reacquire(w: Int32Array, b: number, token: number, reentrant: boolean, saved: number, forever: Deadline): Algorithm<AcquireCode> {
  let code = tryLock(w, b, token, false);
  if (code === NOT_ACQUIRED) code = yield* lockWait(w, b, token, false, forever);
  if (reentrant) Atomics.store(w, b + L_COUNT, Math.max(1, saved));
  return code;
}

export function ownerOf(w: Int32Array, b: number): number {
  return Atomics.load(w, b + L_OWNER);
}

export function countOf(w: Int32Array, b: number): number {
  return Atomics.load(w, b + L_COUNT);
}

export function ownerDied(w: Int32Array, b: number): boolean {
  return Atomics.load(w, b + L_DIED) !== 0;
}
