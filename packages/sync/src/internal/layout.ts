/**
 * Memory layouts of every primitive: word indexes into an `Int32Array` over the primitive's
 * segment (a SharedArrayBuffer in the root process). One comment per field; the invariants of
 * each algorithm are at the top of its `*-core.ts` file.
 *
 * Owners and holders are recorded as liveness tokens (`callerToken()` of @mp/context/spi): a
 * positive int32 per isolate (thread or process) of the process tree; 0 means "nobody".
 */

/** Waits sleep at most this long before re-checking the liveness of whoever they wait for. */
export const SLICE_MS = 200;

// ---------------------------------------------------------------- lock words (Lock, RLock)
// Also embedded in Barrier (its internal mutex).

/** Token of the holder; 0 = unlocked. Taken by CAS 0 → token, or dead token → token. */
export const L_OWNER = 0;
/** Agents that may be sleeping on L_OWNER (a hint: release skips `notify` when 0). */
export const L_WAITERS = 1;
/** 1 while the current holding was taken over from a holder that died; cleared by release. */
export const L_DIED = 2;
/** RLock recursion depth (only its owner writes it). Unused (0) by Lock. */
export const L_COUNT = 3;
export const LOCK_WORDS = 4;

// ---------------------------------------------------------------- holder table
// Per-holder accounting (Semaphore units, SharedLock shared holds and waiting writers), so what
// a dead holder had can be given back. At `base`:

/** Holds that found the table full (not attributable to a token; never reclaimed). */
export const H_OVERFLOW = 0;
/** First slot: `[token, count]` pairs; token 0 = free, -1 = being reclaimed. */
export const H_SLOTS_AT = 1;
export const HOLDER_SLOTS = 64;
export const HOLDER_WORDS = 1 + 2 * HOLDER_SLOTS;
export const H_RECLAIMING = -1;

// ---------------------------------------------------------------- Semaphore

/** Units available. */
export const S_VALUE = 0;
/** Agents that may be sleeping on S_VALUE. */
export const S_WAITERS = 1;
/** Units given back from dead holders since creation. */
export const S_RECLAIMED = 2;
/** Holder table. */
export const S_HOLDERS = 4;
export const SEMAPHORE_WORDS = S_HOLDERS + HOLDER_WORDS;

// ---------------------------------------------------------------- Event

/** 1 = set, 0 = clear. Waiters sleep on it. */
export const E_FLAG = 0;
export const EVENT_WORDS = 2;

// ---------------------------------------------------------------- Condition

/** Ticket counter: each waiter takes the next ticket, so notify() wakes the oldest first. */
export const C_SEQ = 0;
/** High-water mark: slots at or above it have never been used (scans stop there). */
export const C_HWM = 1;
/** First waiter slot. */
export const C_SLOTS_AT = 4;
/** Words per waiter slot: state, token, ticket, saved recursion count of the lock. */
export const C_SLOT_WORDS = 4;
export const CS_STATE = 0;
export const CS_TOKEN = 1;
export const CS_TICKET = 2;
export const CS_SAVED = 3;
/** Most waiters one Condition can have at once. */
export const MAX_WAITERS = 256;
export const CONDITION_WORDS = C_SLOTS_AT + C_SLOT_WORDS * MAX_WAITERS;
/** Waiter slot states. */
export const SLOT_FREE = 0;
export const SLOT_CLAIMED = 1;
export const SLOT_WAITING = 2;
export const SLOT_NOTIFIED = 3;
export const SLOT_CANCELLED = 4;

// ---------------------------------------------------------------- Barrier

/** Internal mutex (lock words) guarding the fields below; held only for short, non-user code. */
export const B_LOCK = 0;
/** 0 filling, 1 draining, -1 resetting, -2 broken, 2 the last party runs the action. */
export const B_STATE = 4;
/** Parties inside wait() (between entering and leaving). */
export const B_COUNT = 5;
/** Bumped (and every sleeper woken) on each state change; parties sleep on it. */
export const B_GEN = 6;
/** First party slot: the token of the party that entered with index i (0 = none). */
export const B_PARTIES_AT = 8;
export const FILLING = 0;
export const DRAINING = 1;
export const RESETTING = -1;
export const BROKEN = -2;
export const ACTION = 2;

// ---------------------------------------------------------------- SharedLock

/** 2 × shared holders + 1 if held exclusively. Everyone sleeps on it. */
export const R_STATE = 0;
/** Token of the exclusive holder (0 while free or being set). */
export const R_OWNER = 1;
/** Pending exclusive requests: while > 0, new shared requests wait (writers are not starved). */
export const R_WRITERS_WAITING = 2;
/** Agents that may be sleeping on R_STATE. */
export const R_WAITERS = 3;
/** 1 while the exclusive holding was taken over from a holder that died. */
export const R_DIED = 4;
/** Holder table of shared holds. */
export const R_READERS = 8;
/** Holder table of pending exclusive requests (so a dead writer's request can be withdrawn). */
export const R_WRITERS = R_READERS + HOLDER_WORDS;
export const SHARED_LOCK_WORDS = R_WRITERS + HOLDER_WORDS;
