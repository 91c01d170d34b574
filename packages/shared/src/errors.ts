import { registerClass } from '@mp/serialize';

/**
 * A typed array on the shared memory itself was asked for where that memory cannot be mapped:
 * `RawArray(...)` or `getObj()` in a spawned process (or a thread of one). Such a process reaches
 * shared values through the root's broker, one round trip per access; only the root process and
 * its `thread` children can hold a view of the memory. The message says what to use instead.
 *
 * @example
 * ```ts
 * const arr = new SharedArray('d', 1000);
 * try {
 *   arr.getObj()[0] = 1; // in a spawn child
 * } catch (e) {
 *   if (e instanceof SharedMemoryUnavailableError) arr.set(0, 1); // one broker round trip
 * }
 * ```
 */
export class SharedMemoryUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SharedMemoryUnavailableError';
  }
}

registerClass(SharedMemoryUnavailableError, 'mp.shared.SharedMemoryUnavailableError');
