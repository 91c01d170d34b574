/**
 * The protocol behind `wait(objects, timeout)`: anything that can become ready (a Connection with
 * data, a Process sentinel that fires at exit) exposes `[WAITABLE]()`, so `wait` needs to know no
 * concrete class and packages above @mp/connection can add their own waitables.
 */
/**
 * The key of the wait() protocol: `obj[WAITABLE]()` returns a {@link WaitHandle}.
 *
 * @example
 * ```ts
 * const flag = { set: false, listeners: new Set<() => void>() };
 * const waitable = { [WAITABLE]: () => ({ ready: () => flag.set, subscribe: (l: () => void) => (flag.listeners.add(l), () => flag.listeners.delete(l)) }) };
 * await wait([waitable], 100);
 * ```
 */
export const WAITABLE: unique symbol = Symbol.for('@mp/connection.waitable');

/**
 * What `[WAITABLE]()` returns: a readiness check and change notifications.
 *
 * @example
 * ```ts
 * const handle: WaitHandle = conn[WAITABLE]();
 * if (!handle.ready()) { const off = handle.subscribe(() => { off(); console.log('maybe ready'); }); }
 * ```
 */
export interface WaitHandle {
  /** True if the object is ready now. */
  ready(): boolean;
  /** Calls `listener` when the object may have become ready; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * Anything `wait()` accepts.
 *
 * @example
 * ```ts
 * const objects: Waitable[] = [conn, listener, process.sentinel];
 * ```
 */
export interface Waitable {
  /** The object's {@link WaitHandle}: its readiness check and change notifications. */
  [WAITABLE](): WaitHandle;
}

/**
 * True if `value` implements the wait() protocol.
 *
 * @example
 * ```ts
 * isWaitable(Pipe()[0]); // true
 * ```
 */
export function isWaitable(value: unknown): value is Waitable {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Waitable>)[WAITABLE] === 'function';
}
