/**
 * The broker client of a remote isolate (a spawn child, or a thread of one): one per isolate,
 * created on first use. See protocol.ts for the two channels.
 */
import { childProcessModule, cryptoModule } from '../lazy.js';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { answerChallenge, AUTH_MAX_FRAME, deliverChallenge, FramedSocket } from '@mp/connection/spi';
import { runtime } from '../runtime.js';
import type { RendezvousRecord, Reply } from './protocol.js';
import { RENDEZVOUS_NAME, SOCKET_NAME } from './protocol.js';
import { decodeMessage, encodeMessage, frameMessage } from './wire.js';

/**
 * The broker cannot be reached: the root process has exited, or this is not a multiprocess child.
 *
 * @example
 * ```ts
 * import { BrokerUnavailableError } from '@mp/context/spi';
 * try {
 *   await handle.call('get', []);
 * } catch (error) {
 *   if (error instanceof BrokerUnavailableError) process.exit(1); // the root process is gone
 *   throw error;
 * }
 * ```
 */
export class BrokerUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BrokerUnavailableError';
  }
}

/**
 * A request to the broker: the operation and its arguments, e.g. `['call', id, method, args]`
 * (what a {@link RemoteHandle}'s `call` sends) or `['create', module, kind, meta]`.
 *
 * @example
 * ```ts
 * const body: RequestBody = ['call', handle.id, 'add', [1]];
 * await remoteClient().call(body);
 * ```
 */
export type RequestBody = [op: string, ...args: unknown[]];

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Opens a FIFO for writing without blocking, retrying while nobody reads it yet. */
function openWriterSync(fifo: string, timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENXIO' && code !== 'ENOENT') || Date.now() > deadline) {
        throw new BrokerUnavailableError(`cannot reach the multiprocess broker at ${fifo}: the root process may have exited`, { cause: error });
      }
      sleepSync(2);
    }
  }
}

function writeAllSync(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.byteLength) {
    try {
      offset += fs.writeSync(fd, data, offset, data.byteLength - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
        throw new BrokerUnavailableError('the multiprocess broker went away (the root process exited?)', { cause: error });
      }
      sleepSync(1);
    }
  }
}

function readSomeSync(fd: number, into: Buffer, offset: number): number {
  const n = fs.readSync(fd, into, offset, into.byteLength - offset, null);
  if (n === 0) throw new BrokerUnavailableError('the multiprocess broker went away (the root process exited?)');
  return n;
}

/** Replies up to this size are read with one `read` into a buffer kept for the purpose. */
const READ_BUFFER = 64 * 1024;

/**
 * The broker client of a remote isolate (a spawn child, or a thread of one): a blocking channel
 * (a FIFO pair) for `callSync`/`send` and an authenticated socket for `call`. Remote handles use
 * it; package authors normally go through a {@link RemoteHandle} instead.
 *
 * @example
 * ```ts
 * import { remoteClient } from '@mp/context/spi';
 * const client: RemoteClient = remoteClient(); // throws BrokerUnavailableError in the root process
 * console.log('my liveness token at the broker:', client.token);
 * ```
 */
export class RemoteClient {
  /** This isolate's liveness token, as the broker knows it. */
  readonly token: number;
  readonly #dir: string;
  readonly #authkey: Uint8Array;
  readonly #writeFd: number;
  readonly #readFd: number;
  #nextId = 1;
  /** Bytes read from the reply FIFO: [#inStart, #inEnd) not consumed yet. */
  readonly #in = Buffer.allocUnsafe(READ_BUFFER);
  #inStart = 0;
  #inEnd = 0;
  #socket: Promise<FramedSocket> | null = null;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();

  constructor(dir: string, authkey: Uint8Array, token: number) {
    this.#dir = dir;
    this.#authkey = authkey;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-c-'));
    try {
      const req = path.join(tmp, 'req');
      const rep = path.join(tmp, 'rep');
      childProcessModule().execFileSync('mkfifo', ['-m', '600', req, rep]);
      const proof = cryptoModule().createHmac('sha256', authkey).update(`${req}\n${rep}\n${token}`).digest('hex');
      const record: RendezvousRecord = { req, rep, token, pid: process.pid, proof };
      const rendezvous = openWriterSync(path.join(dir, RENDEZVOUS_NAME), 10_000);
      try {
        writeAllSync(rendezvous, Buffer.from(`${JSON.stringify(record)}\n`));
      } finally {
        fs.closeSync(rendezvous);
      }
      // Blocking opens: each returns once the broker has opened the other end.
      this.#writeFd = fs.openSync(req, 'w');
      this.#readFd = fs.openSync(rep, 'r');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    this.token = this.callSync(['hello', token, process.pid, runtime().self.name]) as number;
  }

  /**
   * Runs a request and blocks until its reply: one `write`, and usually one `read` (the reply
   * is read into a kept buffer, whatever its size up to READ_BUFFER).
   */
  callSync(body: RequestBody): unknown {
    const id = this.#nextId++;
    writeAllSync(this.#writeFd, frameMessage([id, ...body]));
    for (;;) {
      const reply = decodeMessage(this.#readFrameSync(), true) as Reply;
      if (reply[0] !== id) continue;
      if (reply[1]) return reply[2];
      throw reply[2];
    }
  }

  /** The next reply payload: a view valid until the next read (decode it at once). */
  #readFrameSync(): Buffer {
    const buf = this.#in;
    for (;;) {
      const available = this.#inEnd - this.#inStart;
      if (available >= 4) {
        const length = buf.readUInt32BE(this.#inStart);
        if (available >= 4 + length) {
          const start = this.#inStart + 4;
          this.#inStart = start + length;
          if (this.#inStart === this.#inEnd) this.#inStart = this.#inEnd = 0;
          return buf.subarray(start, start + length);
        }
        if (4 + length > buf.byteLength) return this.#readLargeSync(length);
      }
      if (this.#inStart > 0) {
        // A partial frame (rare): move it to the front, so the rest fits behind it.
        buf.copyWithin(0, this.#inStart, this.#inEnd);
        this.#inEnd -= this.#inStart;
        this.#inStart = 0;
      }
      this.#inEnd += readSomeSync(this.#readFd, buf, this.#inEnd);
    }
  }

  /** A reply bigger than the kept buffer: its own buffer, filled from what was read and the FIFO. */
  #readLargeSync(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let have = this.#inEnd - this.#inStart - 4;
    this.#in.copy(out, 0, this.#inStart + 4, this.#inEnd);
    this.#inStart = this.#inEnd = 0;
    while (have < length) have += readSomeSync(this.#readFd, out, have);
    return out;
  }

  /** Sends a request without waiting; it runs after every earlier request of this thread's sync channel. */
  send(body: RequestBody): void {
    writeAllSync(this.#writeFd, frameMessage([0, ...body]));
  }

  /** Runs a request over the async channel. */
  async call(body: RequestBody): Promise<unknown> {
    const socket = await (this.#socket ??= this.#connect());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      socket.socket.ref();
      socket.write(encodeMessage([id, ...body]));
    });
  }

  async #connect(): Promise<FramedSocket> {
    const socket = net.connect(path.join(this.#dir, SOCKET_NAME));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error) => reject(new BrokerUnavailableError('cannot connect to the multiprocess broker', { cause: error })));
    });
    const io = new FramedSocket(socket, AUTH_MAX_FRAME);
    await answerChallenge(io, this.#authkey);
    await deliverChallenge(io, this.#authkey);
    io.maxFrame = 0x7fff_ffff;
    io.write(encodeMessage([this.#nextId++, 'hello', this.token, process.pid, runtime().self.name]));
    await io.read();
    const pump = async (): Promise<void> => {
      for (;;) {
        const reply = decodeMessage(await io.read()) as Reply;
        const pending = this.#pending.get(reply[0]);
        if (!pending) continue;
        this.#pending.delete(reply[0]);
        if (this.#pending.size === 0) socket.unref();
        if (reply[1]) pending.resolve(reply[2]);
        else pending.reject(reply[2]);
      }
    };
    pump().catch((error: unknown) => {
      const gone = new BrokerUnavailableError('the multiprocess broker went away (the root process exited?)', { cause: error });
      for (const pending of this.#pending.values()) pending.reject(gone);
      this.#pending.clear();
      this.#socket = null;
    });
    socket.unref();
    return io;
  }
}

const KEY = Symbol.for('@mp/context.remoteClient');
type Holder = typeof globalThis & { [KEY]?: RemoteClient };

/**
 * This isolate's broker client (created on first use). Throws {@link BrokerUnavailableError} in
 * the root process, or in a process that multiprocess did not start.
 *
 * @example
 * ```ts
 * import { inRootProcess, remoteClient } from '@mp/context/spi';
 * if (!inRootProcess()) console.log(remoteClient().token);
 * ```
 */
export function remoteClient(): RemoteClient {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const rt = runtime();
  if (rt.brokerDir === null) {
    throw new BrokerUnavailableError('this process has no broker: it is the root process, or was not started by multiprocess');
  }
  const client = new RemoteClient(rt.brokerDir, rt.brokerKey, rt.token);
  if (rt.token === 0) rt.token = client.token;
  holder[KEY] = client;
  return client;
}
