/**
 * Barrier: Python's `threading.Barrier` algorithm (filling → draining cycles, resetting, broken)
 * over shared words (see layout.ts): an internal mutex (lock words at B_LOCK), STATE, COUNT, GEN,
 * and one slot per party holding the token of the party that entered with that index.
 *
 * Invariants:
 * - STATE, COUNT and the party slots change only under the internal mutex, which is never held
 *   while sleeping or while user code runs. Every change of STATE bumps GEN and wakes all its
 *   sleepers; a sleeper reads GEN under the mutex, releases it, then sleeps on that value (so
 *   no change between release and sleep is missed).
 * - The action runs outside the mutex, in the last party's own process: STATE = ACTION holds
 *   the others (and newcomers) until `actionDone` moves it to DRAINING (or BROKEN if it threw).
 *   A spawned process is told by the broker to run it, then reports back.
 * - While FILLING, parties 0..COUNT-1 are exactly the slots in use, so the next index is COUNT.
 * - Dead parties: sleepers wake every SLICE_MS and reap dead parties: a party that died while
 *   the barrier was FILLING (or in ACTION) breaks it; one that died while it DRAINED, RESET or
 *   was BROKEN is just counted out, so the barrier can still drain or be reset. A party that
 *   died holding the mutex (taken over) breaks the barrier too.
 */
import { Deadline, isTokenAlive, type WaitResult } from '@mp/context/spi';
import { BrokenBarrierError } from '../errors.js';
import { type Algorithm, waitFor } from './drive.js';
import { ACTION, B_COUNT, B_GEN, B_LOCK, B_PARTIES_AT, B_STATE, BROKEN, DRAINING, FILLING, RESETTING, SLICE_MS } from './layout.js';
import { lockWait, NOT_ACQUIRED, TAKEN_OVER, tryLock, unlock } from './lock-core.js';

const FOREVER = new Deadline(null);

/** Mutable per-call state: whether this call holds the internal mutex. */
interface Held {
  held: boolean;
}

function* lock(w: Int32Array, token: number, parties: number, me: Held): Algorithm<void> {
  let code = tryLock(w, B_LOCK, token, false);
  if (code === NOT_ACQUIRED) code = yield* lockWait(w, B_LOCK, token, false, FOREVER);
  me.held = true;
  if (code === TAKEN_OVER) {
    // Someone died inside a critical section: the state may be half-updated.
    setState(w, BROKEN);
    reapDead(w, parties);
  }
}

function release(w: Int32Array, me: Held): void {
  if (!me.held) return;
  me.held = false;
  unlock(w, B_LOCK);
}

function state(w: Int32Array): number {
  return Atomics.load(w, B_STATE);
}

function setState(w: Int32Array, s: number): void {
  Atomics.store(w, B_STATE, s);
  Atomics.add(w, B_GEN, 1);
  Atomics.notify(w, B_GEN);
}

/** Sleeps on GEN with the mutex released; returns with it held again. */
function* sleep(w: Int32Array, token: number, parties: number, me: Held, timeout: number): Algorithm<WaitResult> {
  const gen = Atomics.load(w, B_GEN);
  release(w, me);
  const result = yield waitFor(w, B_GEN, gen, timeout);
  yield* lock(w, token, parties, me);
  return result;
}

/** Under the mutex: counts dead parties out; breaks the barrier if one died while it filled. */
function reapDead(w: Int32Array, parties: number): void {
  let reaped = 0;
  for (let i = 0; i < parties; i++) {
    const t = Atomics.load(w, B_PARTIES_AT + i);
    if (t === 0 || isTokenAlive(t)) continue;
    Atomics.store(w, B_PARTIES_AT + i, 0);
    Atomics.sub(w, B_COUNT, 1);
    reaped++;
  }
  if (reaped === 0) return;
  const s = state(w);
  if (s === FILLING || s === ACTION) setState(w, BROKEN);
  drained(w);
}

/** Under the mutex: the last party out of a draining or resetting barrier reopens it. */
function drained(w: Int32Array): void {
  const s = state(w);
  if (Atomics.load(w, B_COUNT) <= 0 && (s === DRAINING || s === RESETTING)) {
    Atomics.store(w, B_COUNT, 0);
    setState(w, FILLING);
  }
}

function leave(w: Int32Array, index: number, token: number): void {
  if (Atomics.compareExchange(w, B_PARTIES_AT + index, token, 0) === token) Atomics.sub(w, B_COUNT, 1);
  drained(w);
}

/**
 * Enters the barrier and waits until it trips. Returns the party's index, or `-(index + 1)` when
 * the caller is the last party and must run the action, then call {@link actionDone}.
 */
export function* arrive(w: Int32Array, parties: number, token: number, timeout: number | null, hasAction: boolean): Algorithm<number> {
  const me: Held = { held: false };
  try {
    yield* lock(w, token, parties, me);
    // Python's _enter: wait while the previous cycle drains or resets.
    while (state(w) === DRAINING || state(w) === RESETTING || state(w) === ACTION) {
      if ((yield* sleep(w, token, parties, me, SLICE_MS)) === 'timed-out') reapDead(w, parties);
    }
    if (state(w) !== FILLING) throw new BrokenBarrierError();
    const index = Atomics.add(w, B_COUNT, 1);
    Atomics.store(w, B_PARTIES_AT + index, token);
    if (index + 1 === parties) {
      if (hasAction) {
        setState(w, ACTION);
        return -(index + 1);
      }
      setState(w, DRAINING);
      leave(w, index, token);
      return index;
    }
    // Python's _wait: until released, broken, reset, or the timeout (which breaks it).
    const deadline = new Deadline(timeout);
    while (state(w) === FILLING || state(w) === ACTION) {
      if (deadline.expired()) {
        setState(w, BROKEN);
        break;
      }
      if ((yield* sleep(w, token, parties, me, deadline.slice(SLICE_MS))) === 'timed-out') reapDead(w, parties);
    }
    const passed = state(w) === DRAINING;
    leave(w, index, token);
    if (!passed) throw new BrokenBarrierError();
    return index;
  } finally {
    release(w, me);
  }
}

/** After the last party ran the action: releases the others (or breaks the barrier if it threw). */
export function* actionDone(w: Int32Array, parties: number, token: number, index: number, ok: boolean): Algorithm<number> {
  const me: Held = { held: false };
  try {
    yield* lock(w, token, parties, me);
    if (state(w) === ACTION) setState(w, ok ? DRAINING : BROKEN);
    const passed = state(w) === DRAINING;
    leave(w, index, token);
    if (ok && !passed) throw new BrokenBarrierError();
    return index;
  } finally {
    release(w, me);
  }
}

/** Python's reset(): waiting parties get BrokenBarrierError; the barrier is usable again. */
export function* reset(w: Int32Array, parties: number, token: number): Algorithm<void> {
  const me: Held = { held: false };
  try {
    yield* lock(w, token, parties, me);
    reapDead(w, parties);
    if (Atomics.load(w, B_COUNT) > 0) {
      const s = state(w);
      if (s === FILLING || s === BROKEN || s === ACTION) setState(w, RESETTING);
      else setState(w, s);
    } else {
      setState(w, FILLING);
    }
  } finally {
    release(w, me);
  }
}

/** Python's abort(): breaks the barrier. */
export function* abort(w: Int32Array, parties: number, token: number): Algorithm<void> {
  const me: Held = { held: false };
  try {
    yield* lock(w, token, parties, me);
    setState(w, BROKEN);
  } finally {
    release(w, me);
  }
}

export function nWaiting(w: Int32Array): number {
  return state(w) === FILLING ? Math.max(0, Atomics.load(w, B_COUNT)) : 0;
}

export function isBroken(w: Int32Array): boolean {
  return state(w) === BROKEN;
}
