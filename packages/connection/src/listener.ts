import fs from 'node:fs';
import net from 'node:net';
import { AuthenticationError, OSError } from './errors.js';
import { type Connection, internals } from './connection.js';
import { handshakeIO } from './internal/hand-over.js';
import { type Address, addressType, arbitraryAddress, checkAddress, checkFamily, type Family, isAbstract } from './internal/address.js';
import { integer } from './internal/args.js';
import { answerChallenge, AUTH_MAX_FRAME, deliverChallenge, toAuthkey } from './internal/auth.js';
import { bindTcpNow } from './internal/bind.js';
import { MAX_FRAME } from './internal/frame.js';
import { WAITABLE, type Waitable, type WaitHandle } from './internal/waitable.js';

/** Pending connections are queued by Node as they come; this only sizes the kernel queue. */
const MIN_BACKLOG = 128;

function listenError(error: NodeJS.ErrnoException, address: Address): OSError {
  const where = typeof address === 'string' ? JSON.stringify(address) : `${address[0]}:${address[1]}`;
  const hint =
    error.code === 'EADDRINUSE'
      ? 'address already in use: another Listener (or program) is bound there; choose another address, or port 0 / no address for a free one'
      : error.message;
  return new OSError(`cannot listen on ${where}: ${hint}`, { cause: error, code: error.code });
}

/** Python's `last_accepted`: the client's `[host, port]`, or `''` for an unnamed Unix socket. */
function peerAddress(socket: net.Socket, family: Family): Address {
  if (family === 'AF_INET') return [socket.remoteAddress ?? '', socket.remotePort ?? 0];
  return '';
}

/**
 * A socket that listens for connections (Python's `multiprocessing.connection.Listener`).
 * Listening starts at once; `ready` settles when the address is bound. With an `authkey`, every
 * accepted connection first passes an HMAC-SHA256 challenge/response both ways.
 *
 * @param address - `[host, port]` (AF_INET, port 0 = any free port) or a socket path
 *   (AF_UNIX). Default: a new socket in a private temp dir (removed by `close()`).
 * @param family - `'AF_INET'` or `'AF_UNIX'`; inferred from `address` when omitted.
 * @param backlog - Python's listen backlog (Node accepts eagerly; the kernel queue is at least 128).
 * @param authkey - bytes or a string; `null`/omitted = no authentication (Python's default).
 * @example
 * ```ts
 * import { Client, Listener } from 'multiprocess';
 *
 * await using listener = new Listener(['localhost', 0], 'AF_INET', 1, 'secret');
 * await listener.ready;
 * const client = Client(listener.address, 'AF_INET', 'secret');
 * const server = await listener.accept();
 * (await client).send('hello');
 * console.log(await server.recv()); // hello
 * ```
 */
export class Listener implements Waitable {
  /** Resolves when listening; rejects (an OSError) if the address cannot be used. */
  readonly ready: Promise<void>;
  readonly #server: net.Server;
  readonly #family: Family;
  readonly #authkey: Uint8Array | null;
  readonly #dir: string | null;
  readonly #incoming: net.Socket[] = [];
  readonly #waiters: Array<{ resolve(socket: net.Socket): void; reject(error: Error): void }> = [];
  readonly #listeners = new Set<() => void>();
  #address: Address;
  #listening = false;
  #closed = false;
  #lastAccepted: Address | null = null;

  constructor(address?: Address | null, family?: Family | null, backlog = 1, authkey?: Uint8Array | string | null) {
    const fam = family === undefined || family === null ? (address === undefined || address === null ? 'AF_UNIX' : addressType(address)) : checkFamily(family);
    if (address !== undefined && address !== null && addressType(address) !== fam) {
      throw new TypeError(`address ${JSON.stringify(address)} does not belong to family ${fam}`);
    }
    integer(backlog, 'backlog');
    this.#family = fam;
    this.#authkey = authkey === undefined || authkey === null ? null : toAuthkey(authkey);
    let dir: string | null = null;
    if (address === undefined || address === null) ({ address: this.#address, dir } = arbitraryAddress(fam));
    else this.#address = checkAddress(address, fam);
    this.#dir = dir;

    const server = (this.#server = net.createServer({ pauseOnConnect: true }, (socket) => this.#onConnection(socket)));
    this.ready = new Promise<void>((resolve, reject) => {
      server.once('listening', () => {
        this.#listening = true;
        const bound = server.address();
        if (fam === 'AF_INET' && bound !== null && typeof bound === 'object') this.#address = [bound.address, bound.port];
        if (this.#closed) this.#shutdown();
        resolve();
      });
      server.on('error', (error: NodeJS.ErrnoException) => {
        if (this.#listening) return; // after listening, failures show on the accepted sockets
        const failure = listenError(error, this.#address);
        this.#removeDir();
        for (const waiter of this.#waiters.splice(0)) waiter.reject(failure);
        reject(failure);
      });
    });
    // Awaiting `ready` is optional (accept() awaits it): a bind error must not go unhandled.
    this.ready.catch(() => {});
    const queue = Math.max(backlog, MIN_BACKLOG);
    if (fam === 'AF_UNIX') {
      server.listen({ path: this.#address as string, backlog: queue });
    } else {
      const [host, port] = this.#address as readonly [string, number];
      const bound = port === 0 ? bindTcpNow(host, 0) : null;
      if (bound !== null) {
        this.#address = [host, bound.port];
        server.listen(bound.handle, queue);
      } else {
        server.listen({ host, port, backlog: queue });
      }
    }
    server.unref();
  }

  /**
   * The bound address: `[host, port]` (the real port when port 0 was asked) or the socket path.
   * Final after `ready` (for `[host, 0]` already at construction when the host is an IP or
   * `'localhost'`).
   */
  get address(): Address {
    return this.#address;
  }

  /** The address of the client of the last accepted connection (`''` for a Unix socket), or null. */
  get lastAccepted(): Address | null {
    return this.#lastAccepted;
  }

  /** `'AF_INET'` or `'AF_UNIX'`. */
  get family(): Family {
    return this.#family;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  #onConnection(socket: net.Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {}); // a client that resets before accept(): its Connection sees EOF
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#updateRef();
      waiter.resolve(socket);
    } else {
      this.#incoming.push(socket);
      for (const listener of [...this.#listeners]) listener();
    }
  }

  #updateRef(): void {
    if (this.#closed) return;
    if (this.#waiters.length > 0 || this.#listeners.size > 0) this.#server.ref();
    else this.#server.unref();
  }

  #closedError(): OSError {
    return new OSError('the listener is closed: make a new Listener to accept more connections', { code: 'EBADF' });
  }

  #nextSocket(): Promise<net.Socket> {
    const socket = this.#incoming.shift();
    if (socket !== undefined) return Promise.resolve(socket);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#updateRef();
    });
  }

  /**
   * Waits for the next connection and returns it, after the authkey handshake when the listener
   * has one (a client with a wrong or missing key rejects this call with AuthenticationError; the
   * listener stays usable). Waits for `ready` itself.
   *
   * @example
   * ```ts
   * const conn = await listener.accept();
   * console.log(await conn.recv(), listener.lastAccepted);
   * ```
   */
  async accept(): Promise<Connection> {
    if (this.#closed) throw this.#closedError();
    await this.ready;
    const socket = await this.#nextSocket();
    if (this.#family === 'AF_INET') socket.setNoDelay(true);
    const peer = peerAddress(socket, this.#family);
    const key = this.#authkey;
    const [conn, transport] = internals.overSockets(socket, socket, true, true, key === null ? MAX_FRAME : AUTH_MAX_FRAME);
    if (key !== null) {
      try {
        const io = handshakeIO(conn);
        await deliverChallenge(io, key);
        await answerChallenge(io, key);
      } catch (error) {
        conn.close();
        if (error instanceof AuthenticationError) throw error;
        throw new AuthenticationError(`authentication of the client failed: ${(error as Error).message}`, { cause: error });
      }
      transport.maxFrame = MAX_FRAME;
    }
    this.#lastAccepted = peer;
    return conn;
  }

  /**
   * Stops listening: pending `accept()` calls reject, connections not yet accepted are dropped,
   * and the socket file (and the private temp dir of a default address) is removed. Connections
   * already accepted stay open. Idempotent.
   *
   * @example
   * ```ts
   * listener.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#closedError());
    for (const socket of this.#incoming.splice(0)) socket.destroy();
    for (const listener of [...this.#listeners]) listener();
    if (this.#listening) this.#shutdown();
  }

  #shutdown(): void {
    this.#server.close();
    const address = this.#address;
    if (this.#family === 'AF_UNIX' && !isAbstract(address)) fs.rmSync(address as string, { force: true });
    this.#removeDir();
  }

  #removeDir(): void {
    if (this.#dir !== null) fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /** `using listener = new Listener(...)`: closes it. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using listener = new Listener(...)`: closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** For `wait()`: ready when a connection is waiting to be accepted. */
  [WAITABLE](): WaitHandle {
    return {
      ready: () => {
        if (this.#closed) throw this.#closedError();
        return this.#incoming.length > 0;
      },
      subscribe: (listener) => {
        this.#listeners.add(listener);
        this.#updateRef();
        return () => {
          this.#listeners.delete(listener);
          this.#updateRef();
        };
      },
    };
  }

  toString(): string {
    return `<Listener ${this.#family} ${typeof this.#address === 'string' ? JSON.stringify(this.#address) : `${this.#address[0]}:${this.#address[1]}`}${this.#closed ? ' closed' : ''}>`;
  }
}
