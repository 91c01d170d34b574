/**
 * The wire protocol between proxies and a manager's server, over one authenticated Connection
 * per client isolate (thread or process) and server address. Messages are arrays, serialized by
 * @mp/serialize (plain data takes its V8 fast path).
 *
 * Request:  [rid, oid, method, args]   rid 0 = no reply wanted (incref/decref, pipelined writes)
 *                                      oid 0 = the manager itself (create, incref, ...)
 * Reply:    [rid, status, value]
 *
 * Requests of one connection start in arrival order; replies come back as methods finish (a
 * blocking `get()` does not hold up the calls after it).
 */

/** The method returned `value`. */
export const OK = 0;
/** The method threw `value` (an Error, sent with its class, name and stack). */
export const ERROR = 1;
/** The manager machinery failed: `value` is [message, server stack] (a RemoteError on arrival). */
export const FAILED = 2;
/** The method's result is a new shared object: `value` is [id, typeid, exposed]. */
export const PROXY = 3;

/** The method returned undefined (sent without a payload: JSON has no undefined). */
export const VOID = 4;

export type Status = typeof OK | typeof ERROR | typeof FAILED | typeof PROXY | typeof VOID;
export type Request = [rid: number, oid: number, method: string, args: unknown[]];
export type Reply = [rid: number, status: Status, value: unknown];

/** The manager's own operations (oid 0). */
export const MANAGER_OID = 0;

/** Special per-object methods every object answers (never part of `exposed`). */
export const REPR = '#repr';
export const GETVALUE = '#getvalue';
