/**
 * The encoding of broker messages (requests and replies, see protocol.ts).
 *
 * Almost every message of the hot paths (`[id, 'call', objectId, 'mp:acquire', [false, null]]`,
 * `[id, true, 1]`) is made of small numbers, booleans, null and short strings. For those, a
 * compact form — a tag byte then JSON — costs ~0.5 µs to write and read, against ~6 µs for the
 * general @mp/serialize encoding (V8's serializer; measured on this 2-core machine): per lock
 * acquire+release from a spawn child that was ~20 µs of CPU. Anything JSON would not give back
 * exactly (undefined, -0, NaN, objects, arrays with holes or extra keys, ...) takes the general
 * encoding, whose first byte is never the tag.
 *
 * Layout of a payload: `[0xB1][UTF-8 JSON]` (compact) or an @mp/serialize encoding (`0xD1`/`0xD2`).
 */
import { decode, encode } from '@mp/serialize/spi';

const TAG_JSON = 0xb1;
/** Nesting depth the compact form accepts (requests nest args two levels down). */
const MAX_DEPTH = 4;

/** True when `JSON.parse(JSON.stringify(value))` gives back exactly `value`. */
export function isJsonExact(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH || !Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
      const length = value.length;
      for (let i = 0; i < length; i++) {
        if (!(i in value) || !isJsonExact(value[i], depth + 1)) return false;
      }
      return Object.keys(value).length === length;
    }
    default:
      return false;
  }
}

/** The payload of one message (a fresh buffer the caller may keep). */
export function encodeMessage(value: unknown): Uint8Array {
  if (!isJsonExact(value)) return encode(value).bytes;
  const json = JSON.stringify(value);
  const out = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  out[0] = TAG_JSON;
  out.write(json, 1, 'utf8');
  return out;
}

let scratch = Buffer.allocUnsafe(4096);

/**
 * One whole frame (`[u32 length][payload]`) of a message. The compact form is written into a
 * shared scratch buffer: the result is valid only until the next call, so write it synchronously
 * (`fs.writeSync`) or copy it.
 */
export function frameMessage(value: unknown): Buffer {
  if (!isJsonExact(value)) {
    const bytes = encode(value).bytes;
    const out = Buffer.allocUnsafe(4 + bytes.byteLength);
    out.writeUInt32BE(bytes.byteLength, 0);
    out.set(bytes, 4);
    return out;
  }
  const json = JSON.stringify(value);
  if (scratch.byteLength < 5 + json.length * 3) scratch = Buffer.allocUnsafe(5 + json.length * 3);
  const n = scratch.write(json, 5, 'utf8');
  scratch.writeUInt32BE(n + 1, 0);
  scratch[4] = TAG_JSON;
  return scratch.subarray(0, 5 + n);
}

/**
 * Reads a payload. `payload` may be a view into a buffer that is reused afterwards: nothing of it
 * is kept (the general form decodes a copy).
 */
export function decodeMessage(payload: Uint8Array, transient = false): unknown {
  if (payload[0] === TAG_JSON) {
    const b = payload instanceof Buffer ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return JSON.parse(b.toString('utf8', 1, b.byteLength));
  }
  return decode(transient ? Uint8Array.prototype.slice.call(payload) : payload);
}

/**
 * Cuts frames out of bytes read into a buffer that the reader reuses (net.Socket's `onread`):
 * whole frames are handed over as views, valid only during the callback (decode them at once);
 * only a frame split between reads is copied. Saves the broker a 64 KiB allocation per read.
 */
export class FrameCutter {
  /** A frame begun in an earlier read: its header bytes, or its whole buffer once the length is known. */
  #head = Buffer.allocUnsafe(4);
  #headLength = 0;
  #body: Buffer | null = null;
  #bodyLength = 0;

  /** Calls `onFrame` for each frame completed by `bytes[0, n)`. */
  push(bytes: Buffer, n: number, onFrame: (payload: Buffer) => void): void {
    let pos = 0;
    // Finish a frame begun in an earlier read.
    while (this.#body !== null || this.#headLength > 0) {
      if (this.#body === null) {
        const take = Math.min(4 - this.#headLength, n - pos);
        bytes.copy(this.#head, this.#headLength, pos, pos + take);
        this.#headLength += take;
        pos += take;
        if (this.#headLength < 4) return;
        this.#body = Buffer.allocUnsafe(this.#head.readUInt32BE(0));
        this.#bodyLength = 0;
      }
      const body = this.#body;
      const take = Math.min(body.byteLength - this.#bodyLength, n - pos);
      bytes.copy(body, this.#bodyLength, pos, pos + take);
      this.#bodyLength += take;
      pos += take;
      if (this.#bodyLength < body.byteLength) return;
      this.#body = null;
      this.#headLength = 0;
      onFrame(body);
    }
    // Whole frames straight from the read buffer.
    while (n - pos >= 4) {
      const length = bytes.readUInt32BE(pos);
      if (n - pos - 4 < length) break;
      onFrame(bytes.subarray(pos + 4, pos + 4 + length));
      pos += 4 + length;
    }
    // Keep the beginning of the next frame.
    const rest = n - pos;
    if (rest === 0) return;
    if (rest < 4) {
      bytes.copy(this.#head, 0, pos, n);
      this.#headLength = rest;
      return;
    }
    this.#headLength = 4;
    this.#body = Buffer.allocUnsafe(bytes.readUInt32BE(pos));
    this.#bodyLength = bytes.copy(this.#body, 0, pos + 4, n);
  }
}
