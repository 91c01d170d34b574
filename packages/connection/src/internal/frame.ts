/**
 * Length-prefixed frames: `[u32 big-endian length][payload]`. Every stream transport of
 * multiprocess (Unix and TCP sockets, FIFOs, the broker) uses this framing so that message
 * boundaries are kept: frames are never merged and empty frames are preserved.
 */
import { ProcessError } from '../errors.js';

/**
 * Bytes of the length prefix.
 *
 * @example
 * ```ts
 * const payloadLength = frame.byteLength - FRAME_HEADER;
 * ```
 */
export const FRAME_HEADER = 4;
/**
 * The largest payload a frame may carry (2 GiB - 1, the u32 range that Buffers allow).
 *
 * @example
 * ```ts
 * decoder.maxFrame = MAX_FRAME; // after authentication
 * ```
 */
export const MAX_FRAME = 0x7fff_ffff;

/**
 * A frame announced a length above the receiver's limit, or the stream ended mid-frame.
 *
 * @example
 * ```ts
 * try { decoder.push(chunk); } catch (e) { if (e instanceof FrameError) socket.destroy(); }
 * ```
 */
export class FrameError extends ProcessError {}

/**
 * The 4-byte header of a frame of `length` bytes (write it, then the payload: no copy).
 *
 * @example
 * ```ts
 * socket.write(frameHeader(payload.byteLength));
 * socket.write(payload);
 * ```
 */
export function frameHeader(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_FRAME) {
    throw new FrameError(`cannot send a message of ${length} bytes: the limit is ${MAX_FRAME} bytes`);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER);
  header.writeUInt32BE(length, 0);
  return header;
}

/**
 * One buffer holding the whole frame: used for small messages where one write is cheaper than two.
 *
 * @example
 * ```ts
 * socket.write(encodeFrame(Buffer.from('hello')));
 * ```
 */
export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.byteLength);
  out.writeUInt32BE(payload.byteLength, 0);
  out.set(payload, FRAME_HEADER);
  return out;
}

/**
 * Incremental decoder: feed it chunks as they arrive, get whole frames back. A frame longer than
 * `maxFrame` throws a {@link FrameError} before its payload is buffered, so a hostile peer cannot
 * make the receiver allocate. Chunks are only copied when a frame spans several chunks.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder(256);
 * socket.on('data', (chunk) => { for (const frame of decoder.push(chunk)) handle(frame); });
 * ```
 */
export class FrameDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #need = -1;
  #stalled = 0;
  /** The largest payload accepted, in bytes; raise it after authentication. */
  maxFrame: number;
  /**
   * Instead of throwing at a frame above `maxFrame`, stop decoding before it and keep its bytes:
   * during an authentication handshake the frame after the last handshake frame may arrive in
   * the same chunk, and must only be judged once the limit has been raised. `push()` (even of an
   * empty chunk) resumes decoding when `maxFrame` allows it.
   */
  stallOnOversize = false;

  constructor(maxFrame = MAX_FRAME) {
    this.maxFrame = maxFrame;
  }

  /** The length of the oversized frame decoding stopped at (0: not stalled). */
  get stalled(): number {
    return this.#stalled;
  }

  #oversized(length: number): boolean {
    if (length <= this.maxFrame) return false;
    if (this.stallOnOversize) {
      this.#stalled = length;
      return true;
    }
    throw new FrameError(`received a frame of ${length} bytes, above the limit of ${this.maxFrame} bytes; closing the connection`);
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.#buffered;
  }

  /** Adds a chunk; returns the frames it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (this.#stalled > 0 && this.#stalled <= this.maxFrame) this.#stalled = 0;
    if (this.#buffered === 0 && this.#need < 0 && this.#stalled === 0) {
      // The common case: nothing pending, so frames are cut from the chunk by offset (no
      // remainder views); only the unfinished tail is kept.
      const end = chunk.byteLength;
      let pos = 0;
      while (end - pos >= FRAME_HEADER) {
        const length = chunk.readUInt32BE(pos);
        if (this.#oversized(length)) break;
        if (end - pos - FRAME_HEADER < length) break;
        frames.push(chunk.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length));
        pos += FRAME_HEADER + length;
      }
      if (pos === end) return frames;
      chunk = pos === 0 ? chunk : chunk.subarray(pos);
    }
    if (chunk.byteLength > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.byteLength;
    }
    for (;;) {
      if (this.#stalled > 0) break;
      if (this.#need < 0) {
        if (this.#buffered < FRAME_HEADER) break;
        const length = this.#peekLength();
        if (this.#oversized(length)) break;
        this.#consume(FRAME_HEADER);
        this.#need = length;
      }
      if (this.#buffered < this.#need) break;
      frames.push(this.#consume(this.#need));
      this.#need = -1;
    }
    return frames;
  }

  /**
   * Takes the bytes received that do not form a whole frame yet (with the header of a frame
   * already begun), leaving the decoder empty: used to hand a stream to another process.
   */
  remainder(): Buffer {
    const parts = this.#need >= 0 ? [frameHeader(this.#need), ...this.#chunks] : this.#chunks;
    const out = Buffer.concat(parts);
    this.#chunks = [];
    this.#buffered = 0;
    this.#need = -1;
    return out;
  }

  /** Call at end of stream: throws if a frame was cut off. */
  end(): void {
    if (this.#buffered > 0 || this.#need > 0) {
      throw new FrameError(`the stream ended in the middle of a frame (${this.#buffered} of ${Math.max(this.#need, FRAME_HEADER)} bytes)`);
    }
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.byteLength >= FRAME_HEADER) return first.readUInt32BE(0);
    const head = Buffer.concat(this.#chunks, Math.min(this.#buffered, 16));
    return head.readUInt32BE(0);
  }

  #consume(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (first !== undefined && first.byteLength >= n) {
      const out = first.subarray(0, n);
      if (first.byteLength === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const c = this.#chunks[0]!;
      const take = Math.min(c.byteLength, n - offset);
      c.copy(out, offset, 0, take);
      offset += take;
      if (take === c.byteLength) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(take);
    }
    return out;
  }
}
