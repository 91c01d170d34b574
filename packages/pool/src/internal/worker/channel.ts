/** The worker's end of its channel to the pool (see protocol.ts and wire.ts). */
import net from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { AUTH_MAX_FRAME, answerChallenge, deliverChallenge, FramedSocket, MAX_FRAME } from '@mp/connection/spi';
import { readFrames } from '../owner-channel.js';
import { type Incoming, type Outgoing, postBatch, readFrame, readPortMessage, startFrame, writeBatch, writeBatchSync } from '../wire.js';

export interface WorkerChannel {
  /** Starts delivering batches (in order) and the end of the channel. */
  listen(onBatch: (batch: Incoming) => void, onClose: () => void): void;
  send(out: Outgoing): void;
  /** Announces that task `wseq` starts. */
  start(wseq: number): void;
  /** Sends from a process `exit` handler (synchronously: no event loop turn is left). */
  sendOnExit(out: Outgoing): void;
  close(): void;
}

export class WorkerPort implements WorkerChannel {
  readonly #port: MessagePort;

  constructor(port: MessagePort) {
    this.#port = port;
  }

  listen(onBatch: (batch: Incoming) => void, onClose: () => void): void {
    this.#port.on('message', (message: unknown) => {
      const incoming = readPortMessage(message);
      if (incoming !== null && typeof incoming !== 'number') onBatch(incoming);
    });
    this.#port.once('close', onClose);
  }

  send(out: Outgoing): void {
    postBatch(this.#port, out);
  }

  start(wseq: number): void {
    this.#port.postMessage(wseq);
  }

  /** Measured: a message posted from a worker thread's `exit` handler is delivered. */
  sendOnExit(out: Outgoing): void {
    this.send(out);
  }

  close(): void {
    this.#port.close();
  }
}

export class WorkerSocket implements WorkerChannel {
  readonly #framed: FramedSocket;

  private constructor(framed: FramedSocket) {
    this.#framed = framed;
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

  listen(onBatch: (batch: Incoming) => void, onClose: () => void): void {
    readFrames(
      this.#framed,
      (frame) => {
        const incoming = readFrame(frame);
        if (incoming !== null && typeof incoming !== 'number') onBatch(incoming);
      },
      onClose,
    );
  }

  send(out: Outgoing): void {
    if (!this.#framed.ended) writeBatch(this.#framed.socket, out);
  }

  start(wseq: number): void {
    if (!this.#framed.ended) this.#framed.socket.write(startFrame(wseq));
  }

  /** A direct write(2) on the socket's descriptor, if nothing is queued before it (else the answers are lost: their tasks run again). */
  sendOnExit(out: Outgoing): void {
    writeBatchSync(this.#framed.socket, out);
  }

  close(): void {
    this.#framed.socket.end();
  }
}
