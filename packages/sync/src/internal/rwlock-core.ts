/**
 * SharedLock (reader/writer lock with writer preference) over STATE, OWNER, WRITERS_WAITING,
 * WAITERS, DIED and two holder tables (see layout.ts, holders.ts).
 *
 * STATE = 2 × (shared holds) + (1 if held exclusively). Everyone sleeps on STATE.
 *
 * Invariants:
 * - Shared acquire: CAS STATE s → s + 2, only while the exclusive bit is clear and no exclusive
 *   request waits (WRITERS_WAITING = 0) — so a stream of readers cannot starve a writer. A token
 *   that already holds it shared may take it again regardless (otherwise a reader re-entering
 *   while a writer waits would deadlock with that writer).
 * - Exclusive acquire: CAS STATE 0 → 1, then OWNER = token. A pending request is counted in
 *   WRITERS_WAITING and recorded in the writers table while it waits; when the count drops to 0
 *   every sleeper is woken, since readers held back by it can go.
 * - Every release wakes all sleepers (when WAITERS > 0): readers and writers re-check.
 * - Dead holders: a dead exclusive OWNER is taken over by an exclusive acquirer (CAS OWNER dead →
 *   token, DIED = 1) or cleared by a shared one (CAS OWNER dead → -1, clear the bit, DIED = 1);
 *   the shared holds of dead readers are subtracted from STATE; the requests of dead waiting
 *   writers are withdrawn. Sleepers check every SLICE_MS.
 */
import { type Deadline, isTokenAlive } from '@mp/context/spi';
import { NotAcquiredError } from '../errors.js';
import { type Algorithm, waitFor } from './drive.js';
import { holdersAdd, holdersCount, holdersReclaim, holdersRemove } from './holders.js';
import { R_DIED, R_OWNER, R_READERS, R_STATE, R_WAITERS, R_WRITERS, R_WRITERS_WAITING, SLICE_MS } from './layout.js';
import { ACQUIRED, type AcquireCode, NOT_ACQUIRED, TAKEN_OVER } from './lock-core.js';

function wakeAll(w: Int32Array): void {
  if (Atomics.load(w, R_WAITERS) !== 0) Atomics.notify(w, R_STATE);
}

/** Clears the exclusive hold of a dead owner (for shared acquirers); true if it did. */
function clearDeadOwner(w: Int32Array): boolean {
  const owner = Atomics.load(w, R_OWNER);
  if (owner <= 0 || isTokenAlive(owner)) return false;
  if (Atomics.compareExchange(w, R_OWNER, owner, -1) !== owner) return false;
  Atomics.store(w, R_DIED, 1);
  Atomics.sub(w, R_STATE, 1);
  Atomics.store(w, R_OWNER, 0);
  Atomics.notify(w, R_STATE);
  return true;
}

/** Subtracts the shared holds of dead readers; true if there were any. */
function reclaimReaders(w: Int32Array): boolean {
  const holds = holdersReclaim(w, R_READERS);
  if (holds === 0) return false;
  Atomics.sub(w, R_STATE, 2 * holds);
  Atomics.notify(w, R_STATE);
  return true;
}

/** Withdraws the requests of dead waiting writers; true if there were any. */
function reclaimWriters(w: Int32Array): boolean {
  const requests = holdersReclaim(w, R_WRITERS);
  if (requests === 0) return false;
  Atomics.sub(w, R_WRITERS_WAITING, requests);
  Atomics.notify(w, R_STATE);
  return true;
}

export function tryShared(w: Int32Array, token: number): AcquireCode {
  const reentering = holdersCount(w, R_READERS, token) > 0;
  for (;;) {
    const s = Atomics.load(w, R_STATE);
    if ((s & 1) !== 0) {
      if (clearDeadOwner(w)) continue;
      return NOT_ACQUIRED;
    }
    if (!reentering && Atomics.load(w, R_WRITERS_WAITING) > 0) return NOT_ACQUIRED;
    if (Atomics.compareExchange(w, R_STATE, s, s + 2) === s) {
      holdersAdd(w, R_READERS, token);
      return ACQUIRED;
    }
  }
}

export function tryExclusive(w: Int32Array, token: number): AcquireCode {
  for (;;) {
    const s = Atomics.load(w, R_STATE);
    if (s === 0) {
      if (Atomics.compareExchange(w, R_STATE, 0, 1) !== 0) continue;
      Atomics.store(w, R_OWNER, token);
      return ACQUIRED;
    }
    if ((s & 1) !== 0) {
      const owner = Atomics.load(w, R_OWNER);
      if (owner <= 0 || owner === token || isTokenAlive(owner)) return NOT_ACQUIRED;
      if (Atomics.compareExchange(w, R_OWNER, owner, token) !== owner) return NOT_ACQUIRED;
      Atomics.store(w, R_DIED, 1);
      return TAKEN_OVER;
    }
    if (!reclaimReaders(w)) return NOT_ACQUIRED;
  }
}

export function* sharedWait(w: Int32Array, token: number, deadline: Deadline): Algorithm<AcquireCode> {
  Atomics.add(w, R_WAITERS, 1);
  try {
    for (;;) {
      const code = tryShared(w, token);
      if (code !== NOT_ACQUIRED || deadline.expired()) return code;
      const s = Atomics.load(w, R_STATE);
      if ((yield waitFor(w, R_STATE, s, deadline.slice(SLICE_MS))) === 'timed-out') reclaimWriters(w);
    }
  } finally {
    Atomics.sub(w, R_WAITERS, 1);
  }
}

export function* exclusiveWait(w: Int32Array, token: number, deadline: Deadline): Algorithm<AcquireCode> {
  Atomics.add(w, R_WAITERS, 1);
  Atomics.add(w, R_WRITERS_WAITING, 1);
  holdersAdd(w, R_WRITERS, token);
  try {
    for (;;) {
      const code = tryExclusive(w, token);
      if (code !== NOT_ACQUIRED || deadline.expired()) return code;
      const s = Atomics.load(w, R_STATE);
      yield waitFor(w, R_STATE, s, deadline.slice(SLICE_MS));
    }
  } finally {
    Atomics.sub(w, R_WAITERS, 1);
    // Withdraw the request (unless a reclaimer already did, taking us for dead).
    if (holdersRemove(w, R_WRITERS, token) && Atomics.sub(w, R_WRITERS_WAITING, 1) === 1) Atomics.notify(w, R_STATE);
  }
}

export function releaseShared(w: Int32Array, token: number): void {
  if (!holdersRemove(w, R_READERS, token)) {
    throw new NotAcquiredError('cannot release un-acquired lock: the caller holds no shared lock on this SharedLock (use releaseExclusive() for an exclusive one)');
  }
  Atomics.sub(w, R_STATE, 2);
  wakeAll(w);
}

export function releaseExclusive(w: Int32Array, token: number): void {
  if (Atomics.load(w, R_OWNER) !== token) {
    throw new NotAcquiredError('cannot release un-acquired lock: the caller does not hold this SharedLock exclusively (use release() for a shared lock)');
  }
  Atomics.store(w, R_DIED, 0);
  Atomics.store(w, R_OWNER, 0);
  Atomics.sub(w, R_STATE, 1);
  wakeAll(w);
}

/** [shared holds, exclusive owner token, waiting exclusive requests, died]. */
export function describeShared(w: Int32Array): [number, number, number, boolean] {
  const s = Atomics.load(w, R_STATE);
  return [s >> 1, (s & 1) !== 0 ? Math.max(0, Atomics.load(w, R_OWNER)) : 0, Atomics.load(w, R_WRITERS_WAITING), Atomics.load(w, R_DIED) !== 0];
}
