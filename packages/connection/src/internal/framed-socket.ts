/**
 * A stream socket (Unix, TCP or a FIFO pair) carrying length-prefixed frames. Reads are promises
 * served in arrival order; a closed or failed stream rejects pending and future reads with an
 * EOFError (or the socket's error as its cause), so no reader ever hangs on a dead peer.
 */
import type { Socket } from 'node:net';
import { EOFError } from '../errors.js';
import { encodeFrame, FrameDecoder, FrameError, frameHeader, FRAME_HEADER, MAX_FRAME } from './frame.js';

interface Reader {
  resolve(frame: Buffer): void;
  reject(error: Error): void;
}

/** Above this size a payload is written as header + payload (two writes, no copy). */
const COPY_LIMIT = 64 * 1024;

/**
 * Frames over a socket, read as promises (what the broker of @mp/context uses).
 *
 * @example
 * ```ts
 * const io = new FramedSocket(socket, AUTH_MAX_FRAME);
 * io.write(encode(request).bytes);
 * const reply = decode(await io.read());
 * ```
 */
export class FramedSocket {
  /** The socket the frames travel on (for `end()`, `destroy()`, `ref()`/`unref()`). */
  readonly socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #frames: Buffer[] = [];
  readonly #readers: Reader[] = [];
  readonly #frameListeners = new Set<() => void>();
  #ended: Error | null = null;

  constructor(socket: Socket, maxFrame?: number) {
    this.socket = socket;
    this.#decoder = new FrameDecoder(maxFrame);
    this.#decoder.stallOnOversize = maxFrame !== undefined && maxFrame < MAX_FRAME;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#finish(null));
    socket.on('close', () => this.#finish(null));
    socket.on('error', (error) => this.#finish(error));
  }

  /** The largest frame this side accepts; raise it after authentication. */
  get maxFrame(): number {
    return this.#decoder.maxFrame;
  }
  /** Raises (or lowers) the limit; frames held back by the old limit are decoded now. */
  set maxFrame(value: number) {
    this.#decoder.maxFrame = value;
    if (value >= MAX_FRAME) this.#decoder.stallOnOversize = false;
    if (this.#decoder.stalled > 0) this.#onData(Buffer.alloc(0));
  }

  /** True once the stream ended or failed. */
  get ended(): boolean {
    return this.#ended !== null;
  }

  /** Frames received and not yet read. */
  get available(): number {
    return this.#frames.length;
  }

  /** Sends one frame. Returns false when the kernel buffer is full (the data is queued anyway). */
  write(payload: Uint8Array): boolean {
    if (payload.byteLength <= COPY_LIMIT) return this.socket.write(encodeFrame(payload));
    this.socket.write(frameHeader(payload.byteLength));
    return this.socket.write(payload);
  }

  /** The next frame, in arrival order. */
  read(): Promise<Buffer> {
    const frame = this.#frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.#decoder.stalled > 0) this.#oversize();
    if (this.#ended) return Promise.reject(this.#eof());
    return new Promise((resolve, reject) => this.#readers.push({ resolve, reject }));
  }

  /** The next frame if one is already here, else undefined. */
  tryRead(): Buffer | undefined {
    return this.#frames.shift();
  }

  /** Calls `listener` whenever a frame arrives or the stream ends (for poll()/wait()). */
  onFrame(listener: () => void): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  /** Closes the socket; pending reads reject with EOFError. */
  close(): void {
    this.socket.destroy();
    this.#finish(null);
  }

  #eof(): Error {
    const cause = this.#ended;
    return cause instanceof EOFError ? cause : new EOFError(undefined, { cause });
  }

  /** A read while decoding is stalled at an oversized frame (see FrameDecoder.stallOnOversize). */
  #oversize(): void {
    this.socket.destroy();
    this.#finish(new FrameError(`received a frame of ${this.#decoder.stalled} bytes, above the limit of ${this.#decoder.maxFrame} bytes; closing the connection`));
  }

  #onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      // A malformed or oversized frame: this connection is unusable, the process is not.
      this.socket.destroy();
      this.#finish(error as Error);
      return;
    }
    for (const frame of frames) {
      const reader = this.#readers.shift();
      if (reader) reader.resolve(frame);
      else this.#frames.push(frame);
    }
    if (this.#decoder.stalled > 0 && this.#readers.length > 0) {
      this.#oversize();
      return;
    }
    if (frames.length > 0) for (const listener of this.#frameListeners) listener();
  }

  #finish(error: Error | null): void {
    if (this.#ended) return;
    this.#ended = error ?? new EOFError();
    for (const reader of this.#readers.splice(0)) reader.reject(this.#eof());
    for (const listener of this.#frameListeners) listener();
  }
}

export { FRAME_HEADER };
