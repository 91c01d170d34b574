/**
 * Condition variable over a table of waiter slots (see layout.ts), next to its lock (a Lock or
 * RLock, whose words are passed in).
 *
 * Each waiter owns one slot: STATE, TOKEN, TICKET (its place in line), SAVED (the RLock count to
 * restore). Slot states: FREE → CLAIMED → WAITING → NOTIFIED or CANCELLED → FREE.
 *
 * - wait(): with the lock held, claim a FREE slot (CAS), fill it, set it WAITING, and only then
 *   release the lock; so a notifier, which must hold the lock, always sees every waiter that
 *   released it. The waiter sleeps on its own STATE word: wake-ups are precise (one notify wakes
 *   one chosen waiter, no thundering herd).
 * - notify(n): with the lock held, move the n oldest WAITING slots to NOTIFIED (CAS) and wake
 *   each. A waiter whose timeout expires moves its slot WAITING → CANCELLED (CAS); if that CAS
 *   fails it was notified, and it returns true: a notification is never lost to a timeout, and
 *   notify(n) wakes exactly min(n, waiters) live waiters.
 * - A woken waiter keeps its slot NOTIFIED until it has reacquired the lock, then frees it.
 * - Dead waiters: notify skips (and frees) WAITING slots of dead tokens. A waiter that dies after
 *   being notified but before returning from wait() leaves a NOTIFIED slot with a dead token
 *   (the broker leaves it so too when it stops waiting for a remote caller that died). The next
 *   notify(), or any waiter at its next SLICE_MS check, moves it to CANCELLED (CAS: exactly
 *   once) and passes the notification on to the oldest live waiter — or, if none waits yet, puts
 *   it back for a later one. So a notification is consumed only by a waiter that returns from
 *   wait() alive.
 * - Whoever moves a slot to CANCELLED frees it (FREE); the waiter itself frees NOTIFIED slots.
 */
import { type Deadline, isTokenAlive } from '@mp/context/spi';
import { NotAcquiredError } from '../errors.js';
import { type Algorithm, waitFor } from './drive.js';
import {
  C_HWM,
  C_SEQ,
  C_SLOT_WORDS,
  C_SLOTS_AT,
  CS_SAVED,
  CS_STATE,
  CS_TICKET,
  CS_TOKEN,
  L_COUNT,
  MAX_WAITERS,
  SLICE_MS,
  SLOT_CANCELLED,
  SLOT_CLAIMED,
  SLOT_FREE,
  SLOT_NOTIFIED,
  SLOT_WAITING,
} from './layout.js';
import { lockWait, NOT_ACQUIRED, ownerOf, reacquire, releaseAll, tryLock } from './lock-core.js';

/** The lock of a condition, as the algorithms see it. */
export interface CondLock {
  readonly w: Int32Array;
  readonly reentrant: boolean;
}

function at(slot: number): number {
  return C_SLOTS_AT + C_SLOT_WORDS * slot;
}

export function ownsLock(lock: CondLock, token: number): boolean {
  return ownerOf(lock.w, 0) === token;
}

/** Registers the caller as a waiter and releases the lock; returns its slot. */
export function condEnter(w: Int32Array, lock: CondLock, token: number): number {
  if (!ownsLock(lock, token)) {
    throw new NotAcquiredError('cannot wait on un-acquired lock: acquire the Condition (acquire() or withLock()) before calling wait()');
  }
  const slot = claim(w);
  const s = at(slot);
  Atomics.store(w, s + CS_TOKEN, token);
  Atomics.store(w, s + CS_TICKET, Atomics.add(w, C_SEQ, 1));
  Atomics.store(w, s + CS_STATE, SLOT_WAITING);
  Atomics.store(w, s + CS_SAVED, releaseAll(lock.w, 0, token, lock.reentrant));
  return slot;
}

function claim(w: Int32Array): number {
  for (let slot = 0; slot < MAX_WAITERS; slot++) {
    if (Atomics.compareExchange(w, at(slot) + CS_STATE, SLOT_FREE, SLOT_CLAIMED) !== SLOT_FREE) continue;
    for (;;) {
      const hwm = Atomics.load(w, C_HWM);
      if (hwm > slot || Atomics.compareExchange(w, C_HWM, hwm, slot + 1) === hwm) break;
    }
    return slot;
  }
  throw new RangeError(`more than ${MAX_WAITERS} waiters on one Condition: use several Conditions, or fewer waiting processes`);
}

/**
 * Sleeps in `slot` until notified or the deadline, then reacquires the lock (no timeout).
 * Returns true if notified.
 */
export function* condWait(w: Int32Array, lock: CondLock, token: number, slot: number, deadline: Deadline, forever: Deadline): Algorithm<boolean> {
  const s = at(slot);
  let notified = false;
  let done = false;
  try {
    for (;;) {
      const state = Atomics.load(w, s + CS_STATE);
      if (state === SLOT_NOTIFIED) {
        notified = true;
        break;
      }
      if (state !== SLOT_WAITING) break; // our slot was reclaimed: we were taken for dead
      if (deadline.expired()) {
        if (Atomics.compareExchange(w, s + CS_STATE, SLOT_WAITING, SLOT_CANCELLED) === SLOT_WAITING) break;
        continue;
      }
      const result = yield waitFor(w, s + CS_STATE, SLOT_WAITING, deadline.slice(SLICE_MS));
      if (result === 'timed-out') passOnDead(w);
    }
    yield* reacquire(lock.w, 0, token, lock.reentrant, Atomics.load(w, s + CS_SAVED), forever);
    done = true;
    return notified;
  } finally {
    if (done || !notified) {
      // Normal return, or a timeout/abort before any notification: our slot is ours to free.
      const state = Atomics.load(w, s + CS_STATE);
      if (!done && state === SLOT_WAITING) Atomics.compareExchange(w, s + CS_STATE, SLOT_WAITING, SLOT_CANCELLED);
      if (Atomics.load(w, s + CS_TOKEN) === token) {
        Atomics.compareExchange(w, s + CS_STATE, SLOT_NOTIFIED, SLOT_FREE);
        Atomics.compareExchange(w, s + CS_STATE, SLOT_CANCELLED, SLOT_FREE);
      }
    } else if (isTokenAlive(token)) {
      // Aborted after being notified, though our caller lives: pass the notification on now.
      if (Atomics.compareExchange(w, s + CS_STATE, SLOT_NOTIFIED, SLOT_CANCELLED) === SLOT_NOTIFIED) {
        Atomics.store(w, s + CS_STATE, SLOT_FREE);
        deliver(w, 1);
      }
    }
    // Otherwise our caller died after being notified: the NOTIFIED slot of a dead token stays, and
    // passOnDead() hands the notification to a live waiter (now or when one comes).
  }
}

/** Results of {@link condWaitBrief}: finished (value: notified 1 / timed out 0), or not yet. */
export const BRIEF_DONE = 0;
export const BRIEF_PENDING = 1;

/**
 * The first, bounded part of a wait (for a spawned process, whose `wait()` first blocks for at
 * most `brief` on the sync channel, then continues asynchronously): sleeps in `slot` and
 * reacquires the lock, but gives up when `brief` expires — leaving the slot (WAITING, NOTIFIED or
 * CANCELLED) and the lock as they are, for {@link condWait} to finish. Returns
 * `[BRIEF_DONE, notified ? 1 : 0]` or `[BRIEF_PENDING, slot]`.
 */
export function* condWaitBrief(
  w: Int32Array,
  lock: CondLock,
  token: number,
  slot: number,
  deadline: Deadline,
  brief: Deadline,
): Algorithm<[number, number]> {
  const s = at(slot);
  let notified = false;
  for (;;) {
    const state = Atomics.load(w, s + CS_STATE);
    if (state === SLOT_NOTIFIED) {
      notified = true;
      break;
    }
    if (state !== SLOT_WAITING) break;
    if (deadline.expired()) {
      if (Atomics.compareExchange(w, s + CS_STATE, SLOT_WAITING, SLOT_CANCELLED) === SLOT_WAITING) break;
      continue;
    }
    if (brief.expired()) return [BRIEF_PENDING, slot];
    yield waitFor(w, s + CS_STATE, SLOT_WAITING, Math.min(deadline.slice(SLICE_MS), brief.remaining()));
  }
  const saved = Atomics.load(w, s + CS_SAVED);
  if (tryLock(lock.w, 0, token, false) === NOT_ACQUIRED && (yield* lockWait(lock.w, 0, token, false, brief)) === NOT_ACQUIRED) {
    return [BRIEF_PENDING, slot];
  }
  if (lock.reentrant) Atomics.store(lock.w, L_COUNT, Math.max(1, saved));
  if (Atomics.load(w, s + CS_TOKEN) === token) {
    Atomics.compareExchange(w, s + CS_STATE, SLOT_NOTIFIED, SLOT_FREE);
    Atomics.compareExchange(w, s + CS_STATE, SLOT_CANCELLED, SLOT_FREE);
  }
  return [BRIEF_DONE, notified ? 1 : 0];
}

/** Wakes up to `n` waiters (Infinity = all), oldest first. The caller must hold the lock. */
export function condNotify(w: Int32Array, lock: CondLock, token: number, n: number): void {
  if (!ownsLock(lock, token)) {
    throw new NotAcquiredError('cannot notify on un-acquired lock: acquire the Condition (acquire() or withLock()) before notify()/notifyAll()');
  }
  passOnDead(w);
  if (n > 0) deliver(w, n);
}

/** Notifies up to `n` live WAITING slots, oldest ticket first; returns how many. */
function deliver(w: Int32Array, n: number): number {
  const hwm = Atomics.load(w, C_HWM);
  let delivered = 0;
  while (delivered < n) {
    let best = -1;
    let bestTicket = 0;
    let waiting = 0;
    for (let slot = 0; slot < hwm; slot++) {
      const s = at(slot);
      if (Atomics.load(w, s + CS_STATE) !== SLOT_WAITING) continue;
      if (!isTokenAlive(Atomics.load(w, s + CS_TOKEN))) {
        if (Atomics.compareExchange(w, s + CS_STATE, SLOT_WAITING, SLOT_CANCELLED) === SLOT_WAITING) Atomics.store(w, s + CS_STATE, SLOT_FREE);
        continue;
      }
      waiting++;
      const ticket = Atomics.load(w, s + CS_TICKET);
      if (best < 0 || ((ticket - bestTicket) | 0) < 0) {
        best = slot;
        bestTicket = ticket;
      }
      if (n - delivered >= MAX_WAITERS && wake(w, s)) delivered++; // notify_all: one pass
    }
    if (n - delivered >= MAX_WAITERS || waiting === 0 || best < 0) break;
    if (wake(w, at(best))) delivered++;
  }
  return delivered;
}

function wake(w: Int32Array, s: number): boolean {
  if (Atomics.compareExchange(w, s + CS_STATE, SLOT_WAITING, SLOT_NOTIFIED) !== SLOT_WAITING) return false;
  if (heldBack !== null) heldBack.push(s);
  else Atomics.notify(w, s + CS_STATE, 1);
  return true;
}

/** Slots notified while {@link holdingWakes} runs, to wake when it returns. */
let heldBack: number[] | null = null;

/**
 * Runs `fn` (a notify followed by the caller's own wait, which releases the lock) with the
 * wake-ups of the waiters it notifies held back until it returns — after the lock is released.
 * Their slots are NOTIFIED at once (nothing is lost or reordered); only the futex wake waits.
 * A waiter woken while the notifier still holds the lock would find it taken and sleep again on
 * the lock word; and a woken thread often preempts the waker before it releases (measured in the
 * B4 spawn ping-pong: 1.22 → 1.0x waits per wait() in the main thread).
 */
export function holdingWakes<T>(w: Int32Array, fn: () => T): T {
  const outer = heldBack;
  const mine: number[] = [];
  heldBack = mine;
  try {
    return fn();
  } finally {
    heldBack = outer;
    for (const s of mine) Atomics.notify(w, s + CS_STATE, 1);
  }
}

/** Hands the notifications of dead notified waiters to live ones; frees dead waiters' slots. */
function passOnDead(w: Int32Array): void {
  const hwm = Atomics.load(w, C_HWM);
  for (let slot = 0; slot < hwm; slot++) {
    const s = at(slot);
    const state = Atomics.load(w, s + CS_STATE);
    if (state !== SLOT_NOTIFIED && state !== SLOT_WAITING) continue;
    if (isTokenAlive(Atomics.load(w, s + CS_TOKEN))) continue;
    if (Atomics.compareExchange(w, s + CS_STATE, state, SLOT_CANCELLED) !== state) continue;
    // A notification with no live waiter to take it is put back (the slot is ours while CANCELLED).
    Atomics.store(w, s + CS_STATE, state === SLOT_NOTIFIED && deliver(w, 1) === 0 ? SLOT_NOTIFIED : SLOT_FREE);
  }
}

/** Waiters not yet notified (for the repr). */
export function condWaiters(w: Int32Array): number {
  const hwm = Atomics.load(w, C_HWM);
  let n = 0;
  for (let slot = 0; slot < hwm; slot++) if (Atomics.load(w, at(slot) + CS_STATE) === SLOT_WAITING) n++;
  return n;
}
