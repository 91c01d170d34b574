/**
 * The liveness table: which isolates (threads and remote clients) of this process tree are alive.
 *
 * Locks and semaphores record their holder as an owner *token*. When a holder dies without
 * releasing (a terminated worker thread, a killed spawn child), the next acquirer finds the token
 * dead here and takes over, instead of waiting forever as Python does.
 *
 * Layout (Int32Array over one SharedArrayBuffer created by the root process's main thread, shared
 * with every thread of the root process and with the broker):
 *
 *   word 0            number of slots (SLOTS)
 *   word 1            allocation hint (next slot to try; any value is correct)
 *   word 2 + 2*i      slot i state word: (generation << 2) | state,
 *                     state 0 = FREE, 1 = ALIVE, 2 = DEAD
 *   word 3 + 2*i      slot i parent token (0 = no parent: lives as long as the root process
 *                     or, for broker clients, as long as its connection)
 *
 * token = (generation << 12) | (slot + 1); generation is 1..2^19-1, so a token is a positive int32.
 *
 * Invariants:
 * - Only the isolate that allocated a slot (the parent of a thread, or the broker for a remote
 *   client) marks it DEAD; any isolate may reuse a FREE or DEAD slot, bumping its generation by
 *   CAS, so an old token never matches a reused slot.
 * - A token is alive iff its slot holds its generation in state ALIVE and its parent token is
 *   alive (threads die with their parent thread, which may have been killed before it could mark
 *   its children).
 */
const FREE = 0;
const ALIVE = 1;
const DEAD = 2;
const HEADER = 2;
const SLOT_BITS = 12;
export const MAX_SLOTS = (1 << SLOT_BITS) - 1;
const MAX_GENERATION = (1 << 19) - 1;

export class LivenessTable {
  readonly buffer: SharedArrayBuffer;
  readonly #words: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer((HEADER + 2 * MAX_SLOTS) * 4);
    this.#words = new Int32Array(this.buffer);
    if (buffer === undefined) this.#words[0] = MAX_SLOTS;
  }

  /** Claims a slot for a new isolate whose life is bounded by `parentToken` (0 = none). */
  allocate(parentToken: number): number {
    const w = this.#words;
    const slots = w[0]!;
    const start = Atomics.load(w, 1);
    for (let n = 0; n < slots; n++) {
      const slot = (start + n) % slots;
      const index = HEADER + 2 * slot;
      const word = Atomics.load(w, index);
      const state = word & 3;
      const generation = word >>> 2;
      const reusable =
        state === FREE || state === DEAD || (state === ALIVE && !this.isAlive(this.#token(slot, generation)));
      if (!reusable) continue;
      const next = generation >= MAX_GENERATION ? 1 : generation + 1;
      // Write the parent first: a reader that sees ALIVE must see the right parent.
      if (Atomics.compareExchange(w, index, word, (next << 2) | FREE) !== word) continue;
      Atomics.store(w, index + 1, parentToken);
      Atomics.store(w, index, (next << 2) | ALIVE);
      Atomics.store(w, 1, (slot + 1) % slots);
      return this.#token(slot, next);
    }
    throw new RangeError(`more than ${MAX_SLOTS} threads and processes are alive at once in this process tree`);
  }

  /** Marks a token dead (idempotent; a stale token is ignored). */
  markDead(token: number): void {
    const slot = (token & MAX_SLOTS) - 1;
    if (slot < 0) return;
    const index = HEADER + 2 * slot;
    const expected = ((token >>> SLOT_BITS) << 2) | ALIVE;
    Atomics.compareExchange(this.#words, index, expected, (token >>> SLOT_BITS << 2) | DEAD);
  }

  /** True while the isolate of `token` and all its ancestors are alive. 0 is never alive. */
  isAlive(token: number): boolean {
    for (let depth = 0; token !== 0 && depth < 64; depth++) {
      const slot = (token & MAX_SLOTS) - 1;
      if (slot < 0) return false;
      const index = HEADER + 2 * slot;
      if (Atomics.load(this.#words, index) !== (((token >>> SLOT_BITS) << 2) | ALIVE)) return false;
      token = Atomics.load(this.#words, index + 1);
      if (token === 0) return true;
    }
    return false;
  }

  #token(slot: number, generation: number): number {
    return (generation << SLOT_BITS) | (slot + 1);
  }
}
