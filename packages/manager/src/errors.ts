/**
 * Errors of @mp/manager.
 */

const REMOTE = Symbol.for('@mp/manager.remote');

/**
 * An error from the manager's server (Python's `multiprocessing.managers.RemoteError`).
 *
 * Two kinds of errors answer `instanceof RemoteError`:
 * - failures of the manager machinery itself, raised as a `RemoteError` (name `'RemoteError'`):
 *   calling a method that is not exposed, an object that no longer exists on the server, a result
 *   that cannot be serialized;
 * - errors **thrown by the shared object's own method** on the server. These keep their class
 *   and `name` (a `RangeError` arrives as a `RangeError`, a queue's `Empty` as `Empty`) and are
 *   also marked as remote, so `instanceof RemoteError` is true for them too.
 *
 * Either way `remoteStack` holds the stack as it was on the server, and `stack` shows the
 * server's stack followed by the local call site.
 *
 * @example
 * ```ts
 * import { Manager, RemoteError } from 'multiprocess';
 *
 * await using manager = await Manager();
 * const l = await manager.list([1, 2, 3]);
 * try {
 *   await l._callMethod('notAMethod');
 * } catch (e) {
 *   console.log(e instanceof RemoteError); // true
 * }
 * const err = await l.get(10).catch((e: unknown) => e);
 * console.log(err instanceof RangeError, err instanceof RemoteError); // true true
 * ```
 */
export class RemoteError extends Error {
  /** The stack of the error on the server (where it was raised). */
  declare readonly remoteStack: string | undefined;

  constructor(message: string, options?: ErrorOptions & { remoteStack?: string | undefined }) {
    super(message, options);
    this.name = 'RemoteError';
    Object.defineProperty(this, 'remoteStack', { value: options?.remoteStack, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, REMOTE, { value: true, enumerable: false, configurable: true });
  }

  /** True for RemoteError instances and for errors raised by a method on a manager's server. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[REMOTE] === true) return true;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Marks an error received from the server as remote (`instanceof RemoteError`), keeps its stack
 * as `remoteStack`, and appends the local call site to `stack`.
 */
export function markRemote(error: unknown, localStack?: string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  try {
    const remoteStack = (error as { stack?: unknown }).stack;
    Object.defineProperty(error, REMOTE, { value: true, enumerable: false, configurable: true });
    if (!Object.hasOwn(error, 'remoteStack') || (error as { remoteStack?: unknown }).remoteStack === undefined) {
      Object.defineProperty(error, 'remoteStack', { value: typeof remoteStack === 'string' ? remoteStack : undefined, enumerable: false, configurable: true, writable: true });
    }
    if (typeof remoteStack === 'string' && localStack !== undefined) {
      const local = localStack.split('\n').slice(1).join('\n');
      Object.defineProperty(error, 'stack', {
        value: `${remoteStack}\n    --- on the manager's server; awaited here: ---\n${local}`,
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
  } catch {
    // a frozen error: leave it as it is
  }
  return error;
}
