import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { encode } from '@mp/serialize/spi';
import { AuthenticationError, BufferTooShort, OSError } from './errors.js';
import { asBuffer, bytesOf, integer, oneTurn, timeoutMs, timer } from './internal/args.js';
import { closedOther, closedRecv, endError, handedOver } from './internal/connection-errors.js';
import { Inbox } from './internal/inbox.js';
import { decodeMessage } from './internal/message-codec.js';
import { PortTransport } from './internal/port-transport.js';
import { SocketTransport } from './internal/socket-transport.js';
import type { Transport, TransportEvents } from './internal/transport.js';
import { WAITABLE, type Waitable, type WaitHandle } from './internal/waitable.js';

const BRAND = Symbol.for('@mp/connection.Connection');
const CHALLENGE_PREFIX = Buffer.from('#CHALLENGE#');

/** The state of a Connection, for the other modules of this package (hand-over, handshake). */
export interface ConnectionState {
  readonly transport: Transport;
  readonly inbox: Inbox;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly closed: boolean;
  handedOver: boolean;
  challengeCheck: boolean;
}

/** Package-internal access (set in the class's static block, so that `#` state stays private). */
export let internals: {
  overPort(port: MessagePort, readable: boolean, writable: boolean): Connection;
  overSockets(input: Socket | null, output: Socket | null, readable: boolean, writable: boolean, maxFrame?: number): [Connection, SocketTransport];
  state(conn: Connection): ConnectionState;
};

/** True while send() encodes a message for a thread pipe (encoding is synchronous). */
export const encodingScope = { threadMessage: false };

/** Whether `value` is a Connection (of any build of this package). */
export function isConnection(value: unknown): value is Connection {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * One end of a pipe or socket connection (Python's `multiprocessing.connection.Connection`).
 * Made by {@link Pipe}, {@link Client} and {@link Listener.accept}; pass an end to a child as a
 * Process argument and it arrives live there (and moves to it).
 *
 * Messages keep their boundaries: every `send`/`sendBytes` is received by exactly one
 * `recv`/`recvBytes`, in order, never merged, empty ones included. Objects go through
 * @mp/serialize (functions and class instances too); bytes are sent raw.
 *
 * @example
 * ```ts
 * import { Pipe, Process } from 'multiprocess';
 *
 * const [parentConn, childConn] = Pipe();
 * const p = new Process({ target: (conn) => { conn.send([42, null, 'hello']); conn.close(); }, args: [childConn] });
 * await p.start();
 * console.log(await parentConn.recv()); // [ 42, null, 'hello' ]
 * await p.join();
 * ```
 */
export class Connection implements Waitable {
  readonly #inbox = new Inbox();
  readonly #readable: boolean;
  readonly #writable: boolean;
  #transport: Transport;
  #closed = false;
  #handedOver = false;
  #challengeCheck = false;

  private constructor(open: (events: TransportEvents) => Transport, readable: boolean, writable: boolean) {
    this.#readable = readable;
    this.#writable = writable;
    this.#transport = open({
      frame: (frame, sidecar) => this.#inbox.push(frame, sidecar),
      end: (error) => this.#inbox.end(() => endError(error)),
    });
    this.#inbox.onDemand = (wanted) => this.#transport.demand(wanted);
  }

  static {
    internals = {
      overPort: (port, readable, writable) => new Connection((events) => new PortTransport(port, events), readable, writable),
      overSockets: (input, output, readable, writable, maxFrame) => {
        let transport!: SocketTransport;
        const conn = new Connection((events) => (transport = new SocketTransport(input, output, events, maxFrame)), readable, writable);
        return [conn, transport];
      },
      state: (conn) => {
        const state: ConnectionState = {
          transport: conn.#transport,
          inbox: conn.#inbox,
          readable: conn.#readable,
          writable: conn.#writable,
          closed: conn.#closed,
          get handedOver() {
            return conn.#handedOver;
          },
          set handedOver(value: boolean) {
            conn.#handedOver = value;
          },
          get challengeCheck() {
            return conn.#challengeCheck;
          },
          set challengeCheck(value: boolean) {
            conn.#challengeCheck = value;
          },
        };
        return state;
      },
    };
  }

  /** True if this end can receive (false for the writing end of `Pipe(false)`). */
  get readable(): boolean {
    return this.#readable;
  }

  /** True if this end can send (false for the reading end of `Pipe(false)`). */
  get writable(): boolean {
    return this.#writable;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  #checkSend(): Transport {
    if (this.#closed) throw closedOther();
    if (this.#handedOver) throw handedOver();
    if (!this.#writable) throw new OSError('connection is read-only: this is the receiving end of a one-way Pipe(false); send on the other end');
    const broken = this.#transport.sendError();
    if (broken !== null) throw broken;
    return this.#transport;
  }

  #checkReceive(closedError: () => Error): void {
    if (this.#closed) throw closedError();
    if (this.#handedOver) throw handedOver();
    if (!this.#readable) throw new OSError('connection is write-only: this is the sending end of a one-way Pipe(false); receive on the other end');
  }

  /** A message if one has arrived (pulled in synchronously where the transport can). */
  #takeNow(): Uint8Array | undefined {
    const frame = this.#inbox.take();
    if (frame !== undefined || this.#inbox.atEnd) return frame;
    this.#transport.pull();
    return this.#inbox.take();
  }

  #readyNow(): boolean {
    if (this.#inbox.ready) return true;
    this.#transport.pull();
    return this.#inbox.ready;
  }

  /** The next message (raw), resolved at once when one is there. */
  #nextFrame(): Promise<Uint8Array> {
    const frame = this.#takeNow();
    const next = frame !== undefined ? Promise.resolve(frame) : this.#inbox.next();
    if (!this.#challengeCheck) return next;
    this.#challengeCheck = false;
    return next.then((f) => {
      if (f.byteLength >= CHALLENGE_PREFIX.byteLength && asBuffer(f).subarray(0, CHALLENGE_PREFIX.byteLength).equals(CHALLENGE_PREFIX)) {
        this.close();
        throw new AuthenticationError('the Listener requires an authkey: pass the same authkey to Client(address, family, authkey)');
      }
      return f;
    });
  }

  /**
   * Sends an object: serialized now (later changes to it are not seen), delivered in order.
   * Never blocks; messages sent in one tick leave together.
   *
   * @param obj - anything @mp/serialize can send (functions, class instances, errors, buffers...).
   * @throws OSError when the connection is closed, read-only, or the other end is gone.
   * @throws SerializationError when `obj` cannot be serialized (the error names the path).
   * @example
   * ```ts
   * conn.send({ id: 1, when: new Date(), square: (x: number) => x * x });
   * ```
   */
  send(obj: unknown): void {
    const transport = this.#checkSend();
    if (typeof obj === 'string' && transport.sendString(obj)) return;
    let encoded;
    if (transport.kind === 'port') {
      // Only thread-pipe ends can travel inside a message (as transferred ports).
      encodingScope.threadMessage = true;
      try {
        encoded = encode(obj, { sidecar: true });
      } finally {
        encodingScope.threadMessage = false;
      }
    } else {
      encoded = encode(obj);
    }
    const { bytes, sidecar } = encoded;
    if (sidecar.shared.length > 0 || sidecar.transfer.length > 0) transport.sendWithSidecar(bytes, sidecar);
    else transport.send(bytes, true);
  }

  /**
   * Sends bytes as one message (copied now). `offset` and `size` are in bytes, as Python's
   * `send_bytes` after its cast to bytes.
   *
   * @param buf - a Buffer, Uint8Array, any typed array, DataView or ArrayBuffer.
   * @param offset - where to start (default 0).
   * @param size - how many bytes (default: to the end).
   * @throws RangeError for a negative or too large offset/size; TypeError for a non-bytes `buf`.
   * @example
   * ```ts
   * conn.sendBytes(Buffer.from('abcdefghij'), 2, 3); // the other end receives 'cde'
   * ```
   */
  sendBytes(buf: ArrayBufferView | ArrayBufferLike, offset = 0, size?: number | null): void {
    const transport = this.#checkSend();
    const bytes = bytesOf(buf, 'sendBytes()');
    const n = bytes.byteLength;
    integer(offset, 'offset');
    if (offset < 0) throw new RangeError('offset is negative');
    if (n < offset) throw new RangeError(`buffer length < offset (${n} < ${offset})`);
    if (size === undefined || size === null) size = n - offset;
    else if (integer(size, 'size') < 0) throw new RangeError('size is negative');
    else if (offset + size > n) throw new RangeError(`buffer length < offset + size (${n} < ${offset} + ${size})`);
    transport.send(bytes.subarray(offset, offset + size), false);
  }

  /**
   * Receives the next object sent with `send()`.
   *
   * @returns the object, typed as `T` (unchecked).
   * @throws EOFError (rejects) when the other end is closed and nothing is left, or this end was closed.
   * @example
   * ```ts
   * const msg = await conn.recv<{ id: number }>();
   * ```
   */
  recv<T = unknown>(): Promise<T> {
    try {
      this.#checkReceive(closedRecv);
    } catch (error) {
      return Promise.reject(error);
    }
    // No closures here: this is the hot path (and the build names every named closure it makes).
    const frame = this.#challengeCheck ? undefined : this.#takeNow();
    if (frame !== undefined) {
      try {
        return Promise.resolve(this.#decode(frame) as T);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#nextFrame().then((f) => this.#decode(f) as T);
  }

  #decode(frame: Uint8Array): unknown {
    return decodeMessage(frame, this.#inbox.sidecarOf(frame));
  }

  /**
   * Receives the next message as bytes (a Buffer).
   *
   * @param maxlength - the largest message accepted: a longer one is an OSError, and the
   *   connection is closed (as Python's "bad message length").
   * @example
   * ```ts
   * const bytes = await conn.recvBytes();
   * console.log(bytes.toString());
   * ```
   */
  async recvBytes(maxlength?: number | null): Promise<Buffer> {
    this.#checkReceive(closedRecv);
    if (maxlength !== undefined && maxlength !== null && integer(maxlength, 'maxlength') < 0) throw new RangeError('negative maxlength');
    const frame = await this.#nextFrame();
    if (maxlength !== undefined && maxlength !== null && frame.byteLength > maxlength) {
      this.close();
      throw new OSError(`bad message length: a message of ${frame.byteLength} bytes is longer than maxlength (${maxlength}); the connection is now closed`);
    }
    return asBuffer(frame);
  }

  /**
   * Receives the next message into `buf` at byte `offset`; resolves with its size in bytes.
   *
   * @throws BufferTooShort when it does not fit; the whole message is in the error's `data`.
   * @example
   * ```ts
   * const buf = new Int32Array(10);
   * const n = await conn.recvBytesInto(buf, 3 * 4); // bytes received, written from element 3
   * ```
   */
  async recvBytesInto(buf: ArrayBufferView | ArrayBufferLike, offset = 0): Promise<number> {
    this.#checkReceive(closedRecv);
    const target = bytesOf(buf, 'recvBytesInto()');
    integer(offset, 'offset');
    if (offset < 0) throw new RangeError('negative offset');
    if (offset > target.byteLength) throw new RangeError('offset too large');
    const frame = await this.#nextFrame();
    if (target.byteLength < offset + frame.byteLength) throw new BufferTooShort(asBuffer(frame));
    target.set(frame, offset);
    return frame.byteLength;
  }

  /**
   * Whether a message (or the end of the stream) is there to receive, waiting up to `timeout` ms
   * for one. `poll()` checks without waiting; `poll(null)` waits without limit.
   *
   * @example
   * ```ts
   * if (await conn.poll(100)) console.log(await conn.recv());
   * ```
   */
  async poll(timeout: number | null = 0): Promise<boolean> {
    this.#checkReceive(closedOther);
    const ms = timeoutMs(timeout);
    if (this.#readyNow()) return true;
    if (ms === 0) {
      await oneTurn();
      return this.#readyNow();
    }
    return new Promise<boolean>((resolve) => {
      const done = (value: boolean): void => {
        unsubscribe();
        clearTimeout(handle);
        resolve(value);
      };
      const unsubscribe = this.#inbox.listen(() => done(true));
      const handle = timer(ms, () => done(this.#readyNow()));
    });
  }

  /**
   * Closes this end. What was sent before is still delivered; the other end then receives
   * EOFError. Idempotent.
   *
   * @example
   * ```ts
   * conn.close();
   * conn.closed; // true
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#handedOver) this.#transport.close();
    this.#inbox.end(closedRecv);
  }

  /** `using conn = ...`: closes it. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using conn = ...`: closes it once what it sent has been written. */
  async [Symbol.asyncDispose](): Promise<void> {
    const wasOpen = !this.#closed && !this.#handedOver;
    this.close();
    if (wasOpen) await this.#transport.drained();
  }

  /** For `wait()`: ready when a message or the end of the stream is there. */
  [WAITABLE](): WaitHandle {
    return {
      ready: () => {
        this.#checkReceive(closedOther);
        return this.#readyNow();
      },
      subscribe: (listener) => this.#inbox.listen(listener),
    };
  }

  toString(): string {
    const kind = this.#transport.kind === 'port' ? 'thread' : 'socket';
    const mode = this.#readable && this.#writable ? 'duplex' : this.#readable ? 'read-only' : 'write-only';
    return `<Connection ${kind} ${mode}${this.#closed ? ' closed' : this.#handedOver ? ' passed-on' : ''}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

Object.defineProperty(Connection.prototype, BRAND, { value: true });
