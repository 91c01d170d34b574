/**
 * The broker: a worker thread of the root process that runs operations on shared objects for
 * isolates that cannot map the root's memory (spawn children and their threads).
 *
 * It stays generic: it knows objects only as (id, kind, module, segment). To run a method it
 * imports the object's module (which registers the kind, see shared-object.ts), attaches a local
 * instance over the segment once, and calls the method on it with the remote caller's identity
 * in an AsyncLocalStorage, so algorithms that record owners (RLock) record the remote caller.
 *
 * When a client's channel closes (its process or thread died), the broker aborts the caller's
 * pending operations and marks its liveness token dead; primitives notice dead owners and release
 * what they held.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { answerChallenge, AUTH_MAX_FRAME, deliverChallenge, FramedSocket } from '@mp/connection/spi';
import { decode, decodeAsync, encode } from '@mp/serialize/spi';
import type { LivenessTable } from '../liveness.js';
import {
  attachLocal,
  type Caller,
  createHandle,
  kindByName,
  type LocalHandle,
  registerRootObject,
  runAsCaller,
  setBrokerMode,
} from '../shared-object.js';
import type { ObjectDescription, RendezvousRecord, Reply, Request } from './protocol.js';
import { decodeMessage, encodeMessage, FrameCutter, frameMessage } from './wire.js';
import { RENDEZVOUS_NAME, SOCKET_NAME } from './protocol.js';

/** A registration posted by a root isolate. */
export interface RegisterMessage {
  t: 'register';
  id: string;
  sab: SharedArrayBuffer;
  module: string;
  kind: string;
  meta: Uint8Array;
}
/** A synchronous lookup from a root isolate (answered on its sync port). */
export interface LookupMessage {
  t: 'lookup';
  id: string;
}
/** A call from a root isolate to run in the broker (on the object's broker-side instance). */
export interface CallMessage {
  t: 'call';
  /** 0 = no reply wanted. */
  rid: number;
  id: string;
  method: string;
  args: Uint8Array;
  token: number;
}
/** The reply to a CallMessage, posted back on the same port. */
export interface CallReply {
  t: 'reply';
  rid: number;
  ok: boolean;
  value: Uint8Array;
}
/** A new root isolate's pair of ports. */
export interface AttachMessage {
  t: 'attach';
  port: MessagePort;
  syncPort: MessagePort;
  syncFlag: Int32Array;
}
export type RootMessage = RegisterMessage | LookupMessage | AttachMessage | CallMessage;

interface Entry {
  id: string;
  module: string;
  kind: string;
  sab: SharedArrayBuffer;
  /** Decoded after the object's module is imported (it may register what the meta needs). */
  meta: unknown;
  metaBytes: Uint8Array | null;
  instance: object | null;
  attaching: Promise<object> | null;
}

const REGISTRATION_WAIT_MS = 10_000;
/** Bytes read from a client's request FIFO at once (a kept buffer per client). */
const READ_BUFFER = 16 * 1024;

export class BrokerServer {
  readonly #dir: string;
  readonly #authkey: Uint8Array;
  readonly #liveness: LivenessTable;
  readonly #token: number;
  readonly #objects = new Map<string, Entry>();
  readonly #waiting = new Map<string, Array<(entry: Entry | null) => void>>();
  readonly #server: net.Server;
  #rendezvousFd = -1;
  #rendezvousKeepFd = -1;

  constructor(dir: string, authkey: Uint8Array, liveness: LivenessTable, token: number) {
    this.#dir = dir;
    this.#authkey = authkey;
    this.#liveness = liveness;
    this.#token = token;
    this.#server = net.createServer((socket) => void this.#onSocket(socket));
    setBrokerMode(token, (id) => this.#objects.get(id)?.sab);
  }

  async start(rootPort: MessagePort, syncPort: MessagePort, syncFlag: Int32Array): Promise<void> {
    this.attachRootPorts(rootPort, syncPort, syncFlag);
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(path.join(this.#dir, SOCKET_NAME), () => resolve());
    });
    // Nothing in this thread is unref'd: the thread must live as long as the root process, which
    // does not wait for it (its Worker handle is unref'd in the parent).
    this.#openRendezvous();
  }

  /** Serves a root isolate: registrations and lookups. */
  attachRootPorts(port: MessagePort, syncPort: MessagePort, syncFlag: Int32Array): void {
    port.on('message', (message: RootMessage) => {
      try {
        this.#dispatchRoot(port, syncPort, syncFlag, message);
      } catch (error) {
        process.emitWarning(`multiprocess broker: a message from a thread failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  #dispatchRoot(port: MessagePort, syncPort: MessagePort, syncFlag: Int32Array, message: RootMessage): void {
    {
      if (message.t === 'register') this.#register(message);
      else if (message.t === 'attach') this.attachRootPorts(message.port, message.syncPort, message.syncFlag);
      else if (message.t === 'lookup') void this.#answerLookup(message.id, syncPort, syncFlag);
      else if (message.t === 'call') this.#onRootCall(port, message);
    }
  }

  #register(message: RegisterMessage): void {
    if (this.#objects.has(message.id)) return;
    const entry: Entry = {
      id: message.id,
      module: message.module,
      kind: message.kind,
      sab: message.sab,
      meta: undefined,
      metaBytes: message.meta,
      instance: null,
      attaching: null,
    };
    this.#objects.set(entry.id, entry);
    for (const wake of this.#waiting.get(entry.id) ?? []) wake(entry);
    this.#waiting.delete(entry.id);
  }

  /** A root isolate's call: runs like a remote call, on behalf of that isolate's token. */
  #onRootCall(port: MessagePort, message: CallMessage): void {
    const reply = (ok: boolean, value: unknown): void => {
      if (message.rid === 0) {
        if (!ok) process.emitWarning(`multiprocess broker: a fire-and-forget operation failed: ${String(value)}`);
        return;
      }
      const [, replyOk, bytes] = encodeResult(ok, value);
      port.postMessage({ t: 'reply', rid: message.rid, ok: replyOk, value: bytes } satisfies CallReply);
    };
    try {
      const request: Request = [message.rid, 'call', message.id, message.method, decode(message.args) as unknown[]];
      const result = this.#handle(request, { token: message.token, signal: new AbortController().signal });
      if (result instanceof Promise) result.then((value) => reply(true, value), (error: unknown) => reply(false, error));
      else reply(true, result);
    } catch (error) {
      reply(false, error);
    }
  }

  async #answerLookup(id: string, syncPort: MessagePort, syncFlag: Int32Array): Promise<void> {
    const entry = await this.#find(id);
    syncPort.postMessage(entry === null ? null : { sab: entry.sab });
    Atomics.add(syncFlag, 0, 1);
    Atomics.notify(syncFlag, 0);
  }

  /** The entry for `id`, waiting a little for a registration that may still be in flight. */
  #find(id: string): Promise<Entry | null> {
    const entry = this.#objects.get(id);
    if (entry) return Promise.resolve(entry);
    return new Promise((resolve) => {
      const list = this.#waiting.get(id) ?? [];
      list.push(resolve);
      this.#waiting.set(id, list);
      setTimeout(() => {
        const pending = this.#waiting.get(id);
        if (pending?.includes(resolve)) {
          pending.splice(pending.indexOf(resolve), 1);
          resolve(null);
        }
      }, REGISTRATION_WAIT_MS).unref();
    });
  }

  /** The attached instance of an object (once per object; later calls find it synchronously). */
  async #attach(id: string): Promise<object> {
    const entry = await this.#find(id);
    if (entry === null) {
      throw new ReferenceError(`the shared object ${id} is unknown to the broker: was it created in another program, or closed?`);
    }
    entry.attaching ??= (async () => {
      await import(entry.module);
      if (entry.metaBytes !== null) {
        entry.meta = await decodeAsync(entry.metaBytes);
        entry.metaBytes = null;
      }
      const kind = kindByName(entry.kind);
      if (kind === undefined) {
        throw new TypeError(`module ${entry.module} did not register the shared kind ${entry.kind}`);
      }
      entry.instance = attachLocal(kind, entry.id, entry.sab, entry.meta);
      return entry.instance;
    })();
    return entry.attaching;
  }

  #invoke(instance: object, id: string, method: string, args: unknown[], caller: Caller): unknown {
    const fn = (instance as Record<string, unknown>)[method];
    if (typeof fn !== 'function' || method.startsWith('_') || method === 'constructor') {
      throw new TypeError(`${id} has no method ${method}`);
    }
    return runAsCaller(caller, () => (fn as (...a: unknown[]) => unknown).apply(instance, args));
  }

  /**
   * Runs one request. Calls on an already attached object start synchronously, so requests of
   * one channel start in arrival order (a fire-and-forget release is applied before the acquire
   * that follows it).
   */
  #handle(request: Request, caller: Caller): unknown {
    if (request[1] === 'call') {
      const [, , id, method, args] = request;
      const instance = this.#objects.get(id)?.instance;
      if (instance) return this.#invoke(instance, id, method, args, caller);
      return this.#attach(id).then((attached) => this.#invoke(attached, id, method, args, caller));
    }
    return this.#control(request, caller);
  }

  async #control(request: Request, caller: Caller): Promise<unknown> {
    switch (request[1]) {
      case 'create': {
        const [, , module, kindName, meta] = request;
        await import(module);
        const kind = kindByName(kindName);
        if (kind === undefined) throw new TypeError(`module ${module} did not register the shared kind ${kindName}`);
        const handle = createHandle(kind, meta) as LocalHandle<unknown>;
        this.#objects.set(handle.id, {
          id: handle.id,
          module,
          kind: kindName,
          sab: handle.sab,
          meta: handle.meta,
          metaBytes: null,
          instance: null,
          attaching: null,
        });
        registerRootObject(handle);
        const description: ObjectDescription = { id: handle.id, module, kind: kindName, meta: handle.meta };
        return description;
      }
      case 'describe': {
        const entry = await this.#find(request[2]);
        if (entry === null) throw new ReferenceError(`the shared object ${request[2]} is unknown to the broker`);
        await this.#attach(entry.id);
        return { id: entry.id, module: entry.module, kind: entry.kind, meta: entry.meta } satisfies ObjectDescription;
      }
      case 'token':
        return this.#liveness.allocate(request[2] === 0 ? caller.token : request[2]);
      case 'dead':
        this.#liveness.markDead(request[2]);
        return null;
      case 'hello':
        return request[2] === 0 ? this.#liveness.allocate(0) : request[2];
      default:
        throw new TypeError(`unknown broker operation ${String((request as unknown[])[1])}`);
    }
  }

  /**
   * Serves one channel. Frames are handled as they are cut from the incoming bytes, all in one
   * synchronous pass (no event-loop turn per request): requests of one channel start in arrival
   * order, and replies go out in completion order (each carries its id). Returns the function to
   * call when the channel closes.
   */
  #channel(write: (message: Reply) => void): { frame(payload: Buffer, transient?: boolean): void; close(): void } {
    const abort = new AbortController();
    // One caller for the whole channel; its token is set by the client's hello.
    const caller = { token: 0, signal: abort.signal };
    const reply = (id: number, ok: boolean, value: unknown): void => {
      if (id === 0) {
        if (!ok) process.emitWarning(`multiprocess broker: a fire-and-forget operation failed: ${String(value)}`);
        return;
      }
      try {
        write([id, ok, value]);
      } catch {
        // The value (or error) cannot be serialized: an error that says so goes out instead.
        const [, replyOk, bytes] = encodeResult(ok, value);
        write([id, replyOk, decode(bytes)]);
      }
    };
    return {
      frame: (payload, transient = false) => {
        const request = decodeMessage(payload, transient) as Request;
        const id = request[0];
        if (request[1] === 'hello') {
          caller.token = request[2] === 0 ? this.#liveness.allocate(0) : request[2];
          write([id, true, caller.token] satisfies Reply);
          return;
        }
        try {
          const result = this.#handle(request, caller);
          if (result instanceof Promise) result.then((value) => reply(id, true, value), (error: unknown) => reply(id, false, error));
          else reply(id, true, result);
        } catch (error) {
          reply(id, false, error);
        }
      },
      close: () => {
        if (abort.signal.aborted) return;
        abort.abort(new Error('the client of the broker went away'));
        if (caller.token !== 0 && caller.token !== this.#token) this.#liveness.markDead(caller.token);
      },
    };
  }

  async #onSocket(socket: net.Socket): Promise<void> {
    const io = new FramedSocket(socket, AUTH_MAX_FRAME);
    try {
      await deliverChallenge(io, this.#authkey);
      await answerChallenge(io, this.#authkey);
    } catch {
      socket.destroy();
      return;
    }
    io.maxFrame = 0x7fff_ffff;
    const channel = this.#channel((message) => io.write(encodeMessage(message)));
    const drain = (): void => {
      try {
        for (let frame = io.tryRead(); frame !== undefined; frame = io.tryRead()) channel.frame(frame);
      } catch {
        socket.destroy(); // a frame that cannot be read: the client is broken
      }
      if (io.ended || socket.destroyed) {
        channel.close();
        socket.destroy();
      }
    };
    io.onFrame(drain);
    drain();
  }

  #openRendezvous(): void {
    const fifo = path.join(this.#dir, RENDEZVOUS_NAME);
    this.#rendezvousFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    // Hold a write end ourselves so the read end never sees EOF between clients.
    this.#rendezvousKeepFd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const reader = new net.Socket({ fd: this.#rendezvousFd, readable: true, writable: false });
    let pending = '';
    reader.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        void this.#onRendezvous(line);
      }
    });
  }

  async #onRendezvous(line: string): Promise<void> {
    let record: RendezvousRecord;
    try {
      record = JSON.parse(line) as RendezvousRecord;
    } catch {
      return;
    }
    const expected = createHmac('sha256', this.#authkey).update(`${record.req}\n${record.rep}\n${record.token}`).digest();
    const proof = Buffer.from(String(record.proof), 'hex');
    if (proof.byteLength !== expected.byteLength || !timingSafeEqual(proof, expected)) return;
    let readFd: number;
    let writeFd: number;
    try {
      readFd = fs.openSync(record.req, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      writeFd = await openWriteEnd(record.rep);
    } catch {
      return;
    }
    const output = new net.Socket({ fd: writeFd, readable: false, writable: true });
    const channel = this.#channel((message) => writeFifo(writeFd, output, message));
    const cutter = new FrameCutter();
    const frame = (payload: Buffer): void => channel.frame(payload, true);
    // Requests are read into one buffer kept for this channel (no allocation per read).
    const input = new net.Socket({
      fd: readFd,
      readable: true,
      writable: false,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER),
        callback: (n: number, bytes: Uint8Array): boolean => {
          try {
            cutter.push(bytes as Buffer, n, frame);
          } catch {
            close(); // a frame that cannot be read: the client is broken
          }
          return true;
        },
      },
    } as net.SocketConstructorOpts);
    const close = (): void => {
      channel.close();
      input.destroy();
      output.destroy();
    };
    output.on('error', close);
    input.on('error', close);
    input.on('close', close);
    input.on('end', close);
  }
}

/**
 * Writes a reply frame to a client's reply FIFO: straight to the (non-blocking) descriptor when
 * nothing is queued — one `write` syscall, no stream request — else, and for what the pipe does
 * not take at once, through the stream, which keeps the order and waits for room.
 */
function writeFifo(fd: number, output: net.Socket, message: Reply): void {
  if (output.destroyed) return;
  const frame = frameMessage(message);
  let written = 0;
  if (output.writableLength === 0) {
    try {
      written = fs.writeSync(fd, frame);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN') {
        output.destroy(); // EPIPE: the client went away
        return;
      }
    }
  }
  if (written < frame.byteLength) output.write(Buffer.from(frame.subarray(written)));
}

/**
 * Encodes a result for a caller. A value (or error) that cannot be serialized becomes an error
 * that says so.
 */
function encodeResult(ok: boolean, value: unknown): [unknown, boolean, Uint8Array] {
  try {
    return [null, ok, encode(value).bytes];
  } catch (error) {
    const message = ok ? 'the result of the operation cannot be serialized' : 'the operation failed with an error that cannot be serialized';
    const detail = error instanceof Error ? error.message : String(error);
    const original = !ok && value instanceof Error ? `${value.name}: ${value.message}` : '';
    return [null, false, encode(new Error(`${message}${original ? ` (${original})` : ''}: ${detail}`)).bytes];
  }
}

/** Opens the write end of a FIFO whose reader is about to open it (ENXIO until it does). */
async function openWriteEnd(fifo: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

