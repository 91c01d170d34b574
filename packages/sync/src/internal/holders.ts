/**
 * Holder table: who holds how many units of a primitive, so that what a dead holder had can be
 * given back (Semaphore units, SharedLock shared holds and pending exclusive requests).
 *
 * Layout at `base` (see layout.ts): `[overflow][token0, count0][token1, count1]...`
 *
 * Invariants:
 * - A slot's token is 0 (free), -1 (being reclaimed) or the token of a holder with count > 0
 *   (count may briefly be 0 while its holder claims or frees the slot).
 * - Only the holder of a token changes its slot's count (all operations of one token run on one
 *   thread: its own isolate, or the broker for a remote caller), except a reclaimer, which first
 *   moves the token of a *dead* holder to -1 by CAS, so exactly one reclaimer gets the count.
 * - A hold that finds the table full goes to `overflow`: it still counts, but cannot be
 *   attributed (its holder's death gives nothing back); a release by a token without a slot
 *   takes from `overflow`.
 */
import { isTokenAlive } from '@mp/context/spi';
import { H_OVERFLOW, H_RECLAIMING, H_SLOTS_AT, HOLDER_SLOTS } from './layout.js';

/** Records one more hold for `token`. */
export function holdersAdd(w: Int32Array, base: number, token: number): void {
  let free = -1;
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const at = base + H_SLOTS_AT + 2 * i;
    const t = Atomics.load(w, at);
    if (t === token) {
      Atomics.add(w, at + 1, 1);
      return;
    }
    if (t === 0 && free < 0) free = at;
  }
  for (let at = free; at >= 0 && at < base + H_SLOTS_AT + 2 * HOLDER_SLOTS; at += 2) {
    if (Atomics.compareExchange(w, at, 0, token) === 0) {
      Atomics.store(w, at + 1, 1);
      return;
    }
  }
  Atomics.add(w, base + H_OVERFLOW, 1);
}

/** Records one hold less for `token`; false when it had none (and the overflow is empty). */
export function holdersRemove(w: Int32Array, base: number, token: number): boolean {
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const at = base + H_SLOTS_AT + 2 * i;
    if (Atomics.load(w, at) !== token) continue;
    const left = Atomics.sub(w, at + 1, 1) - 1;
    if (left <= 0) {
      Atomics.store(w, at + 1, 0);
      Atomics.compareExchange(w, at, token, 0);
    }
    return true;
  }
  for (;;) {
    const overflow = Atomics.load(w, base + H_OVERFLOW);
    if (overflow <= 0) return false;
    if (Atomics.compareExchange(w, base + H_OVERFLOW, overflow, overflow - 1) === overflow) return true;
  }
}

/** The holds recorded for `token`. */
export function holdersCount(w: Int32Array, base: number, token: number): number {
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const at = base + H_SLOTS_AT + 2 * i;
    if (Atomics.load(w, at) === token) return Math.max(0, Atomics.load(w, at + 1));
  }
  return 0;
}

/** All holds, attributed or not. */
export function holdersTotal(w: Int32Array, base: number): number {
  let total = Math.max(0, Atomics.load(w, base + H_OVERFLOW));
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const at = base + H_SLOTS_AT + 2 * i;
    if (Atomics.load(w, at) > 0) total += Math.max(0, Atomics.load(w, at + 1));
  }
  return total;
}

/** Frees the slots of dead holders; returns the total count they held. */
export function holdersReclaim(w: Int32Array, base: number): number {
  let total = 0;
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const at = base + H_SLOTS_AT + 2 * i;
    const t = Atomics.load(w, at);
    if (t <= 0 || isTokenAlive(t)) continue;
    if (Atomics.compareExchange(w, at, t, H_RECLAIMING) !== t) continue;
    total += Math.max(0, Atomics.exchange(w, at + 1, 0));
    Atomics.store(w, at, 0);
  }
  return total;
}

/** True when some recorded holder is dead (without reclaiming anything). */
export function holdersAnyDead(w: Int32Array, base: number): boolean {
  for (let i = 0; i < HOLDER_SLOTS; i++) {
    const t = Atomics.load(w, base + H_SLOTS_AT + 2 * i);
    if (t > 0 && !isTokenAlive(t)) return true;
  }
  return false;
}
