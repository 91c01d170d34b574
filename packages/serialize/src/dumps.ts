import { decode, encode } from './codec.js';
import type { BytesLike } from './types.js';

/**
 * Serialize a value to bytes: Python's `dill.dumps`.
 *
 * Round-trips JSON values, `undefined`, `NaN`, `±Infinity`, `-0`, BigInt, Date, RegExp, Map, Set,
 * sparse arrays, null-prototype objects, shared and cyclic references, typed arrays, DataView,
 * ArrayBuffer, Buffer, SharedArrayBuffer (copied), errors, `Symbol.for` and well-known symbols,
 * functions and classes by source, class instances, `ref()`s and values of registered reducers.
 *
 * @param value - the value to send.
 * @returns the bytes (a `Uint8Array` with its own `ArrayBuffer`).
 * @throws SerializationError naming the path and the cause, e.g. a free variable of a function.
 * @example
 * ```ts
 * import { dumps, loads } from '@mp/serialize';
 * const bytes = dumps({ when: new Date(0), square: (x: number) => x ** 2 });
 * const back = loads<{ when: Date; square: (x: number) => number }>(bytes);
 * back.square(7); // 49
 * ```
 */
export function dumps(value: unknown): Uint8Array {
  return encode(value).bytes;
}

/**
 * Deserialize bytes made by {@link dumps}: Python's `dill.loads`.
 *
 * **Security**: functions and classes in the bytes are compiled and can run arbitrary code. Never
 * `loads` bytes from an untrusted peer.
 *
 * @param bytes - the bytes (any Uint8Array view, a Buffer, another ArrayBufferView, or an ArrayBuffer).
 * @returns the value, typed as `T` (unchecked).
 * @throws SerializationError when the bytes are malformed or need something missing here
 * (an unregistered class or reducer, a library module that cannot be loaded synchronously).
 * @example
 * ```ts
 * import { dumps, loads } from '@mp/serialize';
 * const m = loads<Map<string, number>>(dumps(new Map([['a', 1]])));
 * m.get('a'); // 1
 * ```
 */
export function loads<T = unknown>(bytes: BytesLike): T {
  return decode<T>(bytes);
}
