/**
 * The wire protocol between a pool (the dispatcher in the owning process) and its workers.
 *
 * Channels, one per worker, never shared: a MessagePort for `thread` workers, a Unix socket with
 * length-prefixed frames for `spawn` workers (wire.ts says how batches travel on each).
 *
 * A batch is a flat array of ops, `[op, ...fields, op, ...]`, sent as one message.
 * Batches coalesce everything one side has to say in one tick (many tasks, many results), so a
 * burst of 10k tiny tasks costs a few dozen messages, not 20k.
 *
 * Task identity: the owner numbers the tasks it gives each worker `1, 2, 3, …` (`wseq`, per
 * worker). A worker runs its tasks one at a time, in the order received.
 *
 * Which task was running when a worker died — the invariant that lets every task settle exactly
 * once, and only the task that was running fail:
 * - `thread`: before running task `wseq` the worker stores `wseq | 0` in word {@link SLOT_RUNNING}
 *   of a shared Int32Array, and 0 when it ends (two plain stores per task).
 * - `spawn`: shared memory does not cross processes, so before each task the worker writes a
 *   9-byte start frame (answers still go in batches). Data written before death is read before
 *   the socket's end, so the task of the last start frame without an answer was running.
 * At death that task fails with WorkerDiedError. Every other unanswered task goes back to the
 * front of the queue: it never started, or it finished but its answer died with the worker (then
 * it runs again). The second case needs a death without warning (killed, out of memory): on
 * `process.exit()` or an uncaught error the worker sends its pending answers from its `exit`
 * handler (a port delivers them, measured; a socket gets them by a synchronous write).
 */

/** Owner → worker: define function `fnId` (its @mp/serialize bytes). Fields: fnId, bytes. */
export const OP_FN = 0;
/** Owner → worker: run a task. Fields: wseq, kind, fnId, payload, flags. */
export const OP_TASK = 1;
/** Owner → worker: abort task `wseq` (skip it if not started, else fire its AbortSignal). */
export const OP_ABORT = 2;
/** Owner → worker: finish what you have, then exit. No fields. */
export const OP_STOP = 3;
/** Owner → worker: forget function `fnId`. */
export const OP_DROP_FN = 4;

/** Worker → owner: task `wseq` returned `value`. */
export const R_OK = 0;
/** Worker → owner: task `wseq` threw `error`. */
export const R_ERROR = 1;
/** Worker → owner: task `wseq`'s result could not be serialized. Fields: wseq, error, repr. */
export const R_UNSENDABLE = 2;
/** Worker → owner: task `wseq` was aborted before it started. */
export const R_SKIPPED = 3;
/** Worker → owner: the initializer ran; send tasks. */
export const R_READY = 4;
/** Worker → owner: the initializer threw `error` (the worker exits next). */
export const R_INIT_ERROR = 5;
/** Worker → owner: the heap limit was passed; send no more tasks (the worker finishes its own). */
export const R_RETIRE = 6;
/** Worker → owner: `count` tasks took `ms` milliseconds (for the prefetch depth). */
export const R_STATS = 7;

/** Task kinds: how the payload is applied to the function. */
export const KIND_APPLY = 0; // fn(...payload)
export const KIND_MAP = 1; // payload.map(fn)
export const KIND_STARMAP = 2; // payload.map(args => fn(...args))

/** Task flags. */
export const F_NOTIFY = 1; // send a start marker (the owner times the task from its start)
export const F_SIGNAL = 2; // give the task its own AbortSignal

/** Spawn frame types (byte 0 of a frame). */
export const FRAME_BATCH = 1;
export const FRAME_START = 2; // body: u32 big-endian wseq
export const FRAME_PLAIN = 3;

/** Words of the thread worker's shared slot. */
export const SLOT_RUNNING = 0;
export const SLOT_WORDS = 2;

export type Kind = typeof KIND_APPLY | typeof KIND_MAP | typeof KIND_STARMAP;
