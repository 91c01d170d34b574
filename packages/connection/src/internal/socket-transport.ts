/**
 * A connection over stream sockets: one duplex socket (Listener/Client, Unix or TCP), or an
 * input and an output (a spawn pipe made of FIFOs, see fifo.ts). Frames are length-prefixed
 * (frame.ts); outgoing ones are batched (frame-writer.ts).
 *
 * Reading starts on the first receive-side use (recv, poll, wait), not before: an end that is
 * passed to a child untouched has never read a byte in this process, so nothing can be left
 * behind here. An end handed over after use stops reading, and what it had read but not
 * delivered travels with it (the decoded messages and the bytes of a frame begun).
 *
 * Errors: a malformed or oversized frame destroys this connection only (its readers get the
 * FrameError); any other input error or close is the end of stream (EOFError, cause attached);
 * an output error (EPIPE: the reader is gone) makes the next send throw.
 */
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import type { ReduceContext, Sidecar } from '@mp/serialize/spi';
import { OSError } from '../errors.js';
import { FrameDecoder, FrameError, frameHeader, MAX_FRAME } from './frame.js';
import { FrameWriter } from './frame-writer.js';
import { trackWrites, type WriteTracker } from './pending-writes.js';
import { writeDirect } from './direct-write.js';
import type { Transport, TransportData, TransportEvents } from './transport.js';

/** Node's handle of a socket (internal), used only to stop reading before a hand-over. */
interface StreamHandle {
  reading?: boolean;
  readStop?: () => number;
}

/** The file descriptor under a socket (Node's handle keeps it on Unix), or -1. */
function fdOf(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

function stopReading(socket: Socket): void {
  socket.pause();
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (handle && typeof handle.readStop === 'function') {
    handle.reading = false;
    handle.readStop();
  }
}

const EMPTY = Buffer.alloc(0);

export class SocketTransport implements Transport {
  readonly kind = 'socket';
  readonly #input: Socket | null;
  readonly #output: Socket | null;
  readonly #events: TransportEvents;
  readonly #decoder: FrameDecoder;
  readonly #writer: FrameWriter;
  readonly #writes: WriteTracker;
  /** The output's file descriptor for direct writes, or -1. */
  readonly #fd: number;
  #reading = false;
  #demanded = false;
  #gone = false;
  #sendError: Error | null = null;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);

  constructor(input: Socket | null, output: Socket | null, events: TransportEvents, maxFrame = MAX_FRAME) {
    this.#input = input;
    this.#output = output;
    this.#events = events;
    this.#decoder = new FrameDecoder(maxFrame);
    // Before authentication a big frame may follow the last handshake frame in one chunk: it
    // waits until the limit is raised (or fails the next read, if it is still too big then).
    this.#decoder.stallOnOversize = maxFrame < MAX_FRAME;
    this.#writes = trackWrites();
    this.#fd = output === null ? -1 : fdOf(output);
    this.#writer = new FrameWriter({
      writeChunk: (chunk) => this.#write(chunk, true),
      writeLarge: (payload, owned) => {
        this.#write(frameHeader(payload.byteLength), true);
        this.#write(payload, owned);
      },
    });
    if (input !== null) {
      input.on('end', () => this.#finish(null));
      input.on('close', () => this.#finish(null));
      input.on('error', (error) => this.#finish(error));
      input.unref();
      if (input.destroyed) this.#finish(null);
    }
    if (output !== null && output !== input) {
      output.on('error', (error) => this.#broken(error));
      output.on('close', () => this.#broken(null));
      output.unref();
      // An output-only end received from a parent is also readable for Node; it never has data.
      if (!output.destroyed) stopReading(output);
      else this.#broken(null);
    }
  }

  /** The largest frame accepted (capped before authentication). */
  get maxFrame(): number {
    return this.#decoder.maxFrame;
  }
  set maxFrame(value: number) {
    this.#decoder.maxFrame = value;
    if (value >= MAX_FRAME) this.#decoder.stallOnOversize = false;
    if (this.#decoder.stalled > 0) this.#receive(EMPTY);
  }

  /** The socket of a duplex connection (TCP options, addresses). */
  get socket(): Socket | null {
    return this.#input === this.#output ? this.#input : null;
  }

  /**
   * Writes `chunk`; true when it is done with the memory (written synchronously, or dropped).
   * `owned`: the memory is ours to keep until written; else what must wait is copied first.
   */
  #write(chunk: Uint8Array, owned: boolean): boolean {
    const output = this.#output;
    if (output === null || this.#sendError !== null) return true;
    if (this.#fd >= 0 && output.writableLength === 0 && !output.destroyed) {
      // Nothing queued in Node: write to the OS now, as uv_try_write would, waiting briefly
      // for room when the pipe is full (see direct-write.ts).
      let written: number;
      try {
        written = writeDirect(this.#fd, chunk);
      } catch (error) {
        this.#broken(error as Error);
        return true;
      }
      if (written === chunk.byteLength) return true;
      chunk = chunk.subarray(written);
    }
    if (!owned) chunk = Buffer.from(chunk);
    this.#writes.started();
    output.write(chunk, (error) => {
      if (error) this.#broken(error);
      this.#writes.finished();
    });
    return false;
  }

  #receive(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      // A malformed or oversized frame: this connection is unusable, the process is not.
      this.#input?.destroy();
      this.#finish(error as Error);
      return;
    }
    for (const frame of frames) this.#events.frame(frame);
    if (this.#decoder.stalled > 0 && this.#demanded) this.#oversize();
  }

  /** A read is waiting while decoding is stalled at an oversized frame: the peer broke the rules. */
  #oversize(): void {
    const error = new FrameError(
      `received a frame of ${this.#decoder.stalled} bytes, above the limit of ${this.#decoder.maxFrame} bytes; closing the connection`,
    );
    this.#input?.destroy();
    this.#finish(error);
  }

  #finish(error: Error | null): void {
    if (this.#gone) return;
    let cause = error;
    if (cause === null) {
      try {
        this.#decoder.end();
      } catch (cut) {
        cause = cut as Error;
      }
    }
    // Our pipes and sockets close both directions together: the end of input means the peer
    // is gone (a one-way socket pair only learns it from EPIPE).
    if (this.#output !== null) this.#broken(cause);
    this.#events.end(cause);
  }

  #broken(error: Error | null): void {
    if (this.#sendError !== null) return;
    const code = (error as NodeJS.ErrnoException | null)?.code;
    this.#sendError = new OSError(
      `cannot send: the other end of the connection is closed${code ? ` (${code})` : ''}; the peer process has exited or closed its end`,
      { cause: error ?? undefined, code: code ?? 'EPIPE' },
    );
  }

  send(payload: Uint8Array, owned: boolean): void {
    this.#writer.add(payload, owned);
  }

  sendString(text: string): boolean {
    return this.#writer.addString(text);
  }

  sendWithSidecar(payload: Uint8Array, _sidecar: Sidecar): void {
    this.#writer.add(payload, true);
  }

  sendError(): Error | null {
    return this.#sendError;
  }

  pull(): void {
    if (this.#reading || this.#gone || this.#input === null) return;
    this.#reading = true;
    this.#input.on('data', this.#onData);
    this.#input.resume(); // a socket paused on creation (pauseOnConnect) stays paused otherwise
  }

  demand(wanted: boolean): void {
    this.#demanded = wanted;
    if (this.#gone || this.#input === null) return;
    if (wanted && this.#decoder.stalled > 0) {
      this.#oversize();
      return;
    }
    if (wanted) {
      this.pull();
      this.#input.ref();
    } else {
      this.#input.unref();
    }
  }

  flush(): void {
    if (!this.#gone) this.#writer.flush();
  }

  close(): void {
    if (this.#gone) return;
    this.#writer.flush();
    this.#gone = true;
    const input = this.#input;
    const output = this.#output;
    if (input !== null && input !== output) input.destroy();
    if (output === null) return;
    if (input === output) {
      input.off('data', this.#onData);
      input.pause();
    }
    // Data already written is delivered: destroy once the writes queued in Node have left.
    if (output.writableLength === 0) output.destroy();
    else void this.#writes.idle().then(() => output.destroy());
  }

  drained(): Promise<void> {
    this.flush();
    return this.#writes.idle();
  }

  handOver(ctx: ReduceContext): TransportData | null {
    this.#writer.flush();
    const input = this.#input;
    const output = this.#output;
    if (output !== null && output.writableLength > 0) {
      throw new OSError(
        'cannot pass this connection to another process while data sent on it is still being written (the other end is not reading); ' +
          'wait for it first (await using, or send less before passing the connection)',
      );
    }
    const inIndex = input === null ? -1 : ctx.transfer(input);
    const outIndex = output === null ? -1 : output === input ? inIndex : ctx.transfer(output);
    if ((input !== null && inIndex < 0) || (output !== null && outIndex < 0)) return null;
    let partial: Uint8Array | null = null;
    if (input !== null) {
      input.off('data', this.#onData);
      stopReading(input);
      // What the stream buffered and nobody has seen yet.
      for (let chunk = input.read() as Buffer | null; chunk !== null; chunk = input.read() as Buffer | null) this.#receive(chunk);
      stopReading(input);
      const rest = this.#decoder.remainder();
      partial = rest.byteLength > 0 ? rest : null;
    }
    this.#gone = true;
    return { t: 'socket', input: inIndex, output: outIndex, partial };
  }

  /** Feeds bytes received by a previous owner of these sockets (after a hand-over). */
  resume(partial: Uint8Array): void {
    this.#receive(Buffer.from(partial.buffer, partial.byteOffset, partial.byteLength));
  }
}

export { FrameError };
