/**
 * A thread pipe end: one side of a MessageChannel. Batches travel as transferred ArrayBuffers
 * (no copy), a large message alone as `{ m }`, a message with shared memory or ports as
 * `{ m, s }` with its sidecar. `receiveMessageOnPort` lets `recv`/`poll`/`wait` take what has
 * arrived without waiting for the event loop.
 *
 * The port is unref'd except while someone waits on it: an open pipe end never keeps a process
 * alive (as a file descriptor does not in Python).
 */
import { Buffer } from 'node:buffer';
import { MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { ReduceContext, Sidecar } from '@mp/serialize/spi';
import { OSError } from '../errors.js';
import { FrameWriter } from './frame-writer.js';
import type { Transport, TransportData, TransportEvents } from './transport.js';

/** Posted by close() just before the port closes. */
const EOF_MARKER = null;

interface LargeMessage {
  m: Uint8Array;
  s?: Sidecar;
}

export class PortTransport implements Transport {
  readonly kind = 'port';
  readonly #port: MessagePort;
  readonly #events: TransportEvents;
  readonly #writer: FrameWriter;
  #gone = false;
  #peerClosed = false;

  constructor(port: MessagePort, events: TransportEvents) {
    this.#port = port;
    this.#events = events;
    this.#writer = new FrameWriter({
      writeChunk: (chunk) => {
        if (this.#peerClosed) return true; // dropped: the next send() says why
        port.postMessage(chunk, [chunk.buffer as ArrayBuffer]);
        return false;
      },
      writeLarge: (payload, owned) => {
        if (this.#peerClosed) return;
        const own = owned && payload.buffer instanceof ArrayBuffer ? payload : new Uint8Array(payload); // a copy (Buffer#slice would be a view)
        port.postMessage({ m: own } satisfies LargeMessage, [own.buffer as ArrayBuffer]);
      },
    });
    port.on('message', (data: unknown) => this.#onMessage(data));
    port.on('close', () => {
      // After this, receiveMessageOnPort() on the port crashes Node 20 (a null dereference):
      // never pull from a closed port.
      const wasGone = this.#gone;
      this.#gone = true;
      if (!wasGone) this.#peerEnded();
    });
    port.unref();
  }

  /** The other end closed (its EOF marker, or the port's close when its thread died). */
  #peerEnded(): void {
    if (this.#peerClosed) return;
    this.#peerClosed = true;
    this.#events.end(null);
  }

  #onMessage(data: unknown): void {
    if (this.#gone || this.#peerClosed) return;
    if (data === EOF_MARKER) {
      this.#peerEnded();
    } else if (data instanceof Uint8Array) {
      // A batch: [u32 BE length][payload]... (frames as Buffers: their text decodes in place)
      const batch = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const end = batch.byteLength;
      let pos = 0;
      while (pos + 4 <= end) {
        const length = batch.readUInt32BE(pos);
        pos += 4;
        if (pos + length > end) break;
        this.#events.frame(batch.subarray(pos, pos + length));
        pos += length;
      }
    } else if (typeof data === 'object' && data !== null && (data as LargeMessage).m instanceof Uint8Array) {
      const { m, s } = data as LargeMessage;
      this.#events.frame(m, s);
    }
  }

  send(payload: Uint8Array, owned: boolean): void {
    this.#writer.add(payload, owned);
  }

  sendString(text: string): boolean {
    return this.#writer.addString(text);
  }

  sendWithSidecar(payload: Uint8Array, sidecar: Sidecar): void {
    for (const item of sidecar.transfer) {
      if (!(item instanceof MessagePort)) {
        throw new OSError(
          `cannot send ${(item as object).constructor?.name ?? typeof item} over a thread Pipe: only thread-pipe ends (MessagePorts) ` +
            `and shared memory can travel inside a message. Pass socket-based connections to a child as a Process argument instead.`,
        );
      }
    }
    this.#writer.flush();
    this.#port.postMessage({ m: payload, s: sidecar } satisfies LargeMessage, sidecar.transfer as MessagePort[]);
  }

  sendError(): Error | null {
    if (!this.#peerClosed) return null;
    return new OSError('cannot send: the other end of the pipe is closed (its process exited or closed it)', { code: 'EPIPE' });
  }

  pull(): void {
    if (this.#gone || this.#peerClosed) return;
    const received = receiveMessageOnPort(this.#port);
    if (received !== undefined) this.#onMessage(received.message);
  }

  demand(wanted: boolean): void {
    if (this.#gone) return;
    if (wanted) this.#port.ref();
    else this.#port.unref();
  }

  flush(): void {
    if (!this.#gone) this.#writer.flush();
  }

  close(): void {
    if (this.#gone) return;
    this.#writer.flush();
    this.#gone = true;
    // In-band end of stream: the other end sees it in order, and can pull it synchronously
    // (a port's 'close' event only arrives a few event-loop turns later).
    if (!this.#peerClosed) this.#port.postMessage(EOF_MARKER);
    this.#port.close();
  }

  drained(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  handOver(ctx: ReduceContext): TransportData | null {
    this.#writer.flush();
    const index = ctx.transfer(this.#port);
    if (index < 0) return null;
    this.#gone = true;
    this.#port.removeAllListeners('message');
    this.#port.removeAllListeners('close');
    return { t: 'port', port: index };
  }
}
