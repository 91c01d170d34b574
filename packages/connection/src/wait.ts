import { oneTurn, timeoutMs, timer } from './internal/args.js';
import { isWaitable, WAITABLE, type WaitHandle } from './internal/waitable.js';

/**
 * Waits until at least one of `objects` is ready and resolves with those that are, in the
 * order given (Python's `multiprocessing.connection.wait`). Ready means: a Connection has a
 * message or its other end is closed (so `recv` will not wait); a `Process.sentinel` has exited;
 * a Listener has a connection to accept. Anything implementing the WAITABLE protocol of
 * `@mp/connection/spi` works.
 *
 * @param objects - connections, sentinels, listeners.
 * @param timeout - milliseconds; `undefined`/`null` waits without limit; negative = 0. On timeout
 *   the result is an empty array.
 * @example
 * ```ts
 * import { Pipe, wait } from 'multiprocess';
 *
 * const [a, b] = Pipe();
 * b.send('ping');
 * const ready = await wait([a, b], 1000); // [a]
 * console.log(await ready[0]!.recv()); // ping
 * ```
 */
export async function wait<T extends object>(objects: Iterable<T>, timeout?: number | null): Promise<T[]> {
  const list = [...objects];
  const handles: WaitHandle[] = list.map((object, i) => {
    if (!isWaitable(object)) {
      throw new TypeError(
        `wait() cannot wait on objects[${i}] (${object === null ? 'null' : typeof object}): pass Connections, Listeners or Process sentinels (p.sentinel)`,
      );
    }
    return object[WAITABLE]();
  });
  const ms = timeoutMs(timeout);
  const readyNow = (): T[] => list.filter((_, i) => handles[i]!.ready());
  // One turn of the event loop before answering: messages sent just before (in this process)
  // and data already in the OS buffers are seen, as Python's select() sees them.
  if (readyNow().length > 0 || ms === 0) {
    await oneTurn();
    return readyNow();
  }
  return new Promise<T[]>((resolve, reject) => {
    let settled = false;
    const settle = (result: T[] | Error): void => {
      if (settled) return;
      settled = true;
      for (const off of unsubscribes) off();
      clearTimeout(handle);
      clearInterval(handle);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const check = (): void => {
      try {
        const ready = readyNow();
        if (ready.length > 0) settle(ready);
      } catch (error) {
        settle(error as Error);
      }
    };
    const unsubscribes = handles.map((h) => h.subscribe(check));
    // A waiting caller keeps the event loop alive (as Python blocks), also for objects that do
    // not (the sentinel of a daemon child) or for no objects at all.
    const handle = timer(ms, () => settle(readyNow())) ?? setInterval(() => {}, 2 ** 30);
  });
}
