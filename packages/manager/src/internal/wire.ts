/**
 * How manager messages go over a Connection.
 *
 * A message is an array whose last element is its payload: `[rid, oid, method, args]` or
 * `[rid, status, value]`. Two encodings:
 * - **JSON text** for the small messages that make most of the traffic (`[7, 3, 'get', [5]]` →
 *   `[7, 0, 5]`): JSON is 5–10× cheaper to write and read than the general serializer (measured
 *   here: ~1 µs vs ~8 µs to encode, ~0.7 µs vs ~3 µs to decode), and a Connection sends an ASCII
 *   string without any serializer at all. Used only when JSON keeps the message exactly: arrays
 *   (no holes) of strings, booleans, null and finite numbers other than -0, at most 3 deep.
 * - otherwise **[head, payload bytes]**: the head (ids, method, status) as JSON text and the
 *   payload serialized by @mp/serialize on its own, so that a payload that cannot be decoded on
 *   arrival (a class whose module is missing there...) fails that one call, not the connection.
 */
import { dumps } from '@mp/serialize';
import { decode, decodeAsync } from '@mp/serialize/spi';
import { isJsonExact } from '@mp/context/spi';

/** First byte of @mp/serialize's V8-path encoding: decoding it never needs a module (synchronous). */
const TAG_FAST = 0xd1;

/** What to hand to `Connection.send` for `message` (throws if its payload cannot be serialized). */
export function pack(message: readonly unknown[]): unknown {
  if (isJsonExact(message)) return JSON.stringify(message);
  const last = message.length - 1;
  return [JSON.stringify(message.slice(0, last)), dumps(message[last])];
}

/** A received message: its head, and its payload (decoded, or the error that decoding raised). */
export interface Unpacked {
  /** The leading fields (ids, method or status); for JSON text, the whole message (payload last). */
  readonly head: unknown[];
  readonly payload: unknown;
  readonly error: unknown;
}

const NO_ERROR = undefined;

/**
 * Undoes `pack`: synchronous for JSON text (the hot path) and V8-path payloads, a Promise for a payload
 * (which may need modules imported first). A message that is neither form throws: the
 * connection should close.
 */
export function unpack(received: unknown): Unpacked | Promise<Unpacked> {
  if (typeof received === 'string') {
    const message = JSON.parse(received) as unknown[];
    if (!Array.isArray(message) || message.length === 0) throw new TypeError('malformed manager message');
    // The head is the whole message (its readers take the leading fields only): no copy.
    return { head: message, payload: message[message.length - 1], error: NO_ERROR };
  }
  return unpackBytes(received);
}

function unpackBytes(received: unknown): Unpacked | Promise<Unpacked> {
  if (!Array.isArray(received) || received.length !== 2 || typeof received[0] !== 'string' || !(received[1] instanceof Uint8Array)) {
    throw new TypeError('malformed manager message');
  }
  return unpackParts(received[0], received[1]);
}

/** A message from its head (JSON text) and payload bytes: synchronous when the payload needs no module. */
export function unpackParts(headText: string, bytes: Uint8Array): Unpacked | Promise<Unpacked> {
  const head = JSON.parse(headText) as unknown[];
  if (!Array.isArray(head)) throw new TypeError('malformed manager message');
  if (bytes[0] === TAG_FAST) {
    try {
      return { head, payload: decode(bytes), error: NO_ERROR };
    } catch (error) {
      return { head, payload: undefined, error: error ?? new Error('undecodable payload') };
    }
  }
  return decodePayload(head, bytes);
}

async function decodePayload(head: unknown[], bytes: Uint8Array): Promise<Unpacked> {
  try {
    return { head, payload: await decodeAsync(bytes), error: NO_ERROR };
  } catch (error) {
    return { head, payload: undefined, error: error ?? new Error('undecodable payload') };
  }
}
