import { AuthenticationError, Listener } from '@mp/connection';
import { type Address, addressKey, checkManagerAddress, familyOf } from './internal/address.js';
import { ServerCore } from './internal/server-core.js';
import type { TypeSpec } from './internal/registry.js';
import { isolate } from './internal/state.js';

/**
 * Options of a {@link Server} (what `manager.getServer()` passes).
 *
 * @example
 * ```ts
 * const server = new MyManager({ address: ['0.0.0.0', 50000], authkey: 'secret' }).getServer();
 * ```
 */
export interface ServerOptions {
  /** @internal typeid → what the server needs to make and serve that type. */
  readonly specs: Map<string, TypeSpec>;
  /** `[host, port]` (port 0: any free port) or a Unix socket path; default: a private Unix socket. */
  readonly address?: Address | null | undefined;
  /** The key clients must prove they know (HMAC challenge) before any request is read. */
  readonly authkey: Uint8Array;
}

/**
 * A manager's server (Python's `multiprocessing.managers.Server`): it listens at an address,
 * authenticates clients with the authkey, holds the shared objects and runs their methods.
 * Made by `manager.getServer()` (to serve from the current process) or, inside the server
 * process, by `manager.start()`.
 *
 * It listens from construction on (`address` is final once `ready` resolves, at once for
 * `[ip, 0]`); `serveForever()` accepts clients until a client calls `shutdown()` on its manager
 * or `close()` is called here.
 *
 * @example
 * ```ts
 * import { BaseManager, DictProxy } from 'multiprocess';
 *
 * const shared = new Map<string, number>();
 * class RemoteManager extends BaseManager {}
 * RemoteManager.register('getShared', () => shared, { proxytype: DictProxy });
 *
 * const server = new RemoteManager({ address: ['0.0.0.0', 50000], authkey: 'secret' }).getServer();
 * await server.ready;
 * console.log('serving at', server.address);
 * await server.serveForever();
 * ```
 */
export class Server {
  /** The socket clients connect to. */
  readonly listener: Listener;
  /** Resolves once the listener is bound (rejects if the address cannot be used). */
  readonly ready: Promise<void>;
  readonly #core: ServerCore;
  #serving: Promise<void> | null = null;
  #closed = false;
  #stop: () => void = () => {};
  readonly #stopped: Promise<void>;

  constructor(options: ServerOptions) {
    const address = options.address === undefined || options.address === null ? null : checkManagerAddress(options.address);
    this.listener = address === null ? new Listener(null, 'AF_UNIX', 128, options.authkey) : new Listener(address, familyOf(address), 128, options.authkey);
    this.#stopped = new Promise((resolve) => {
      this.#stop = resolve;
    });
    this.#core = new ServerCore(options.specs, this.listener.address, () => this.close(), () => !this.#closed && !this.listener.closed);
    this.ready = this.listener.ready.then(() => {
      this.#core.address = this.listener.address;
      if (!this.#closed) isolate.servers.set(addressKey(this.listener.address), this.#core);
    });
    this.ready.catch(() => {});
  }

  /** Where clients connect: `[host, port]` (the real port) or the socket path. */
  get address(): Address {
    return this.listener.address;
  }

  /** The number of shared objects alive in this server. */
  get numberOfObjects(): number {
    return this.#core.size;
  }

  /**
   * Accepts and serves clients until the server is shut down (by a client's
   * `manager.shutdown()`, or `close()`); then resolves. Python's `serve_forever()`, except that
   * it does not exit the process.
   *
   * @example
   * ```ts
   * const server = manager.getServer();
   * await server.serveForever(); // returns after a client called shutdown()
   * ```
   */
  serveForever(): Promise<void> {
    if (this.#serving === null) {
      this.#serving = this.#stopped;
      void this.#acceptLoop();
    }
    return this.#serving;
  }

  async #acceptLoop(): Promise<void> {
    try {
      await this.ready;
    } catch {
      this.close();
      return;
    }
    while (!this.#closed) {
      try {
        this.#core.attach(await this.listener.accept());
      } catch (error) {
        if (this.#closed || this.listener.closed) break;
        if (error instanceof AuthenticationError) continue; // a client with a wrong key: refused, keep serving
      }
    }
  }

  /**
   * Stops serving: no new clients, every connection is closed, `serveForever()` resolves.
   * Idempotent.
   *
   * @example
   * ```ts
   * setTimeout(() => server.close(), 60_000);
   * await server.serveForever();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const key = addressKey(this.listener.address);
    if (isolate.servers.get(key) === this.#core) isolate.servers.delete(key);
    this.listener.close();
    this.#core.close();
    this.#stop();
  }

  /** A description of every live object (Python's `_debug_info`). */
  debugInfo(): string {
    return this.#core.debugInfo();
  }

  /** `<Server at 127.0.0.1:50000>` (or the socket path), with ` closed` once stopped. */
  toString(): string {
    return `<Server at ${typeof this.address === 'string' ? JSON.stringify(this.address) : `${this.address[0]}:${this.address[1]}`}${this.#closed ? ' closed' : ''}>`;
  }
}
