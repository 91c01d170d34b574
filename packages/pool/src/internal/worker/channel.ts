/** The worker's end of its channel to the pool (see protocol.ts). */
import fs from 'node:fs';
import net from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { AUTH_MAX_FRAME, answerChallenge, deliverChallenge, FramedSocket, MAX_FRAME } from '@mp/connection/spi';
import type { Sidecar } from '@mp/serialize/spi';
import { postBatch, readFrames, writeFrame } from '../owner-channel.js';
import { FRAME_BATCH, FRAME_START } from '../protocol.js';

export interface WorkerChannel {
  /** Starts delivering batches (in order) and the end of the channel. */
  /** `first`, `count`: the tasks the batch holds (wseqs `first .. first + count - 1`). */
  listen(onBatch: (bytes: Uint8Array, sidecar: Sidecar | undefined, first: number, count: number) => void, onClose: () => void): void;
  send(bytes: Uint8Array, sidecar: Sidecar | null): void;
  /** Announces that task `wseq` starts, after `pending` (unsent answers), in one write. */
  start(wseq: number, pending: { bytes: Uint8Array; sidecar: Sidecar | null } | null): void;
  /** Sends from a process `exit` handler (synchronously: no event loop turn is left). */
  sendOnExit(bytes: Uint8Array, sidecar: Sidecar | null): void;
  close(): void;
}

export class WorkerPort implements WorkerChannel {
  readonly #port: MessagePort;

  constructor(port: MessagePort) {
    this.#port = port;
  }

  listen(onBatch: (bytes: Uint8Array, sidecar: Sidecar | undefined, first: number, count: number) => void, onClose: () => void): void {
    this.#port.on('message', (message: unknown) => {
      if (!Array.isArray(message)) return;
      onBatch(message[0] as Uint8Array, (message[1] as Sidecar | null) ?? undefined, message[2] as number, message[3] as number);
    });
    this.#port.once('close', onClose);
  }

  send(bytes: Uint8Array, sidecar: Sidecar | null): void {
    postBatch(this.#port, bytes, sidecar);
  }

  start(wseq: number, pending: { bytes: Uint8Array; sidecar: Sidecar | null } | null): void {
    if (pending !== null) this.send(pending.bytes, pending.sidecar);
    this.#port.postMessage(wseq);
  }

  /** Measured: a message posted from a worker thread's `exit` handler is delivered. */
  sendOnExit(bytes: Uint8Array, sidecar: Sidecar | null): void {
    this.send(bytes, sidecar);
  }

  close(): void {
    this.#port.close();
  }
}

export class WorkerSocket implements WorkerChannel {
  readonly #framed: FramedSocket;
  readonly #startFrame = Buffer.alloc(9);

  private constructor(framed: FramedSocket) {
    this.#framed = framed;
    this.#startFrame.writeUInt32BE(5, 0);
    this.#startFrame[4] = FRAME_START;
  }

  /** Connects to the pool, authenticates both ways, and names itself. */
  static async connect(path: string, authkey: Uint8Array, id: number): Promise<WorkerSocket> {
    const socket = net.connect(path);
    const framed = new FramedSocket(socket, AUTH_MAX_FRAME);
    await answerChallenge(framed, authkey);
    await deliverChallenge(framed, authkey);
    framed.maxFrame = MAX_FRAME;
    socket.setNoDelay?.(true);
    const hello = Buffer.alloc(4);
    hello.writeUInt32BE(id, 0);
    framed.write(hello);
    return new WorkerSocket(framed);
  }

  listen(onBatch: (bytes: Uint8Array, sidecar: Sidecar | undefined, first: number, count: number) => void, onClose: () => void): void {
    readFrames(
      this.#framed,
      (type, frame) => {
        if (type === FRAME_BATCH) onBatch(frame.subarray(9), undefined, frame.readUInt32BE(1), frame.readUInt32BE(5));
      },
      onClose,
    );
  }

  send(bytes: Uint8Array, _sidecar: Sidecar | null): void {
    if (!this.#framed.ended) writeFrame(this.#framed.socket, FRAME_BATCH, bytes);
  }

  start(wseq: number, pending: { bytes: Uint8Array; sidecar: Sidecar | null } | null): void {
    if (this.#framed.ended) return;
    const socket = this.#framed.socket;
    const frame = Buffer.from(this.#startFrame);
    frame.writeUInt32BE(wseq >>> 0, 5);
    if (pending === null) {
      socket.write(frame);
      return;
    }
    socket.cork();
    writeFrame(socket, FRAME_BATCH, pending.bytes);
    socket.write(frame);
    socket.uncork();
  }

  /** A direct write(2) on the socket's descriptor, if nothing is queued before it (else dropped). */
  sendOnExit(bytes: Uint8Array, _sidecar: Sidecar | null): void {
    const socket = this.#framed.socket;
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0 || socket.writableLength > 0) return;
    const frame = Buffer.allocUnsafe(5 + bytes.byteLength);
    frame.writeUInt32BE(bytes.byteLength + 1, 0);
    frame[4] = FRAME_BATCH;
    frame.set(bytes, 5);
    try {
      fs.writeSync(fd, frame);
    } catch {
      // the socket buffer is full or gone: those answers are lost, their tasks run again
    }
  }

  close(): void {
    this.#framed.socket.end();
  }
}
