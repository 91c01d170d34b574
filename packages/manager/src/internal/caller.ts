/**
 * Who is calling a method on the server: the client connection being served (one per client
 * thread or process), or the server itself (calls made by objects living in the server, such as
 * proxies revived inside the server).
 *
 * The identity is a module variable set synchronously around each dispatch (cheaper than
 * AsyncLocalStorage on the hot path). A referent that needs it reads `currentCaller()` in the
 * synchronous part of the method, before its first `await`.
 */

/** One caller: an id (the owner of RLocks), its process name, a signal aborted when it goes away. */
export interface Caller {
  readonly id: number;
  name: string;
  readonly signal: AbortSignal;
}

/** The server itself (never aborted). */
export const SERVER_CALLER: Caller = { id: 0, name: 'ManagerServer', signal: new AbortController().signal };

let current: Caller = SERVER_CALLER;

/** The caller of the method being dispatched (the server itself outside a dispatch). */
export function currentCaller(): Caller {
  return current;
}

/** Runs `fn` with `caller` as the current caller. */
export function runAs<T>(caller: Caller, fn: () => T): T {
  const previous = current;
  current = caller;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
