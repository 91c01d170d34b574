/**
 * The owner's end of a worker's channel (see protocol.ts): a MessagePort for `thread` workers,
 * an authenticated Unix socket for `spawn` workers. Both are unref'd: an idle pool never keeps
 * the program alive (the dispatcher holds one ref'd handle while tasks are pending).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { AUTH_MAX_FRAME, answerChallenge, deliverChallenge, FramedSocket, MAX_FRAME } from '@mp/connection/spi';
import { type Incoming, type Outgoing, postBatch, readFrame, readPortMessage, writeBatch } from './wire.js';

export interface ChannelEvents {
  batch(batch: Incoming): void;
  start(wseq32: number): void;
  close(): void;
}

export interface OwnerChannel {
  /** Sends a batch holding the tasks `first .. first + count - 1` (so a worker that cannot decode it can fail them). */
  send(out: Outgoing, first: number, count: number): void;
  close(): void;
}

export class PortChannel implements OwnerChannel {
  readonly #port: MessagePort;

  constructor(port: MessagePort, events: ChannelEvents) {
    this.#port = port;
    port.on('message', (message: unknown) => {
      const incoming = readPortMessage(message);
      if (typeof incoming === 'number') events.start(incoming);
      else if (incoming !== null) events.batch(incoming);
    });
    port.once('close', () => events.close());
    port.unref();
  }

  send(out: Outgoing, first: number, count: number): void {
    postBatch(this.#port, out, first, count);
  }

  close(): void {
    this.#port.close();
  }
}

/** Reads frames from a FramedSocket until it ends. */
export function readFrames(framed: FramedSocket, onFrame: (frame: Buffer) => void, onEnd: () => void): void {
  let ended = false;
  const drain = (): void => {
    for (let frame = framed.tryRead(); frame !== undefined; frame = framed.tryRead()) onFrame(frame);
    if (framed.ended && !ended) {
      ended = true;
      onEnd();
    }
  };
  framed.onFrame(drain);
  drain();
}

export class SocketChannel implements OwnerChannel {
  readonly #framed: FramedSocket;

  constructor(framed: FramedSocket) {
    this.#framed = framed;
    framed.maxFrame = MAX_FRAME;
    framed.socket.unref();
  }

  /**
   * Starts delivering events. Frames may already be buffered (a worker's READY can arrive with
   * its hello), so this is called once the channel is in place: the handlers may send at once.
   */
  listen(events: ChannelEvents): void {
    readFrames(
      this.#framed,
      (frame) => {
        const incoming = readFrame(frame);
        if (typeof incoming === 'number') events.start(incoming);
        else if (incoming !== null) events.batch(incoming);
      },
      () => events.close(),
    );
  }

  send(out: Outgoing, first: number, count: number): void {
    if (!this.#framed.ended) writeBatch(this.#framed.socket, out, first, count);
  }

  close(): void {
    this.#framed.close();
  }
}

const AUTH_TIMEOUT_MS = 20_000;

/**
 * Where spawn workers connect: a Unix socket in a private (0700) temp directory. Each worker
 * proves it has the pool's key (HMAC challenge both ways, before anything is decoded), then
 * names itself with the id it was started with.
 */
export class WorkerServer {
  readonly path: string;
  readonly authkey: Buffer = randomBytes(32);
  readonly #dir: string;
  readonly #server: net.Server;
  readonly #waiting = new Map<number, (framed: FramedSocket) => void>();
  #closed = false;

  constructor() {
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-pool-'));
    this.path = path.join(this.#dir, 's');
    this.#server = net.createServer((socket) => void this.#accept(socket));
    this.#server.on('error', () => {});
    this.#server.listen(this.path);
    this.#server.unref();
  }

  /** Calls `onConnect` when worker `id` has connected and authenticated. */
  expect(id: number, onConnect: (framed: FramedSocket) => void): void {
    this.#waiting.set(id, onConnect);
  }

  forget(id: number): void {
    this.#waiting.delete(id);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  async #accept(socket: net.Socket): Promise<void> {
    socket.unref();
    const framed = new FramedSocket(socket, AUTH_MAX_FRAME);
    const timer = setTimeout(() => framed.close(), AUTH_TIMEOUT_MS);
    timer.unref();
    try {
      await deliverChallenge(framed, this.authkey);
      // The peer has proved it holds the key: it may now send frames of any size.
      framed.maxFrame = MAX_FRAME;
      await answerChallenge(framed, this.authkey);
      const hello = await framed.read();
      const id = hello.byteLength === 4 ? hello.readUInt32BE(0) : -1;
      const onConnect = this.#waiting.get(id);
      if (onConnect === undefined) throw new Error('unknown worker');
      this.#waiting.delete(id);
      clearTimeout(timer);
      onConnect(framed);
    } catch {
      clearTimeout(timer);
      framed.close();
    }
  }
}
