/**
 * The client end of a manager: one authenticated Connection per (isolate, server address,
 * authkey), shared by every proxy of this isolate that talks to that server.
 *
 * Calls are multiplexed: each request carries an id and replies come back as the server's
 * methods finish, so a pending `queue.get()` does not hold up other calls. Messages sent before
 * the connection is up wait in `#queue` and go out, in order, right after the `hello`.
 *
 * The socket is unref'd while no call is pending (Connection does this when nobody reads), so an
 * idle manager connection never keeps a process alive, as in Python.
 *
 * A connection to a server in another thread of this process moves to shared memory after the
 * hello (shared-link.ts): calls then wait for their replies with Atomics.wait for a moment
 * (`#awaitLink`), then asynchronously (`#pumpLink`), and the socket carries only large messages
 * and the end of the server.
 */
import { Client, type Connection, EOFError } from '@mp/connection';
import { currentProcess } from '@mp/context';
import { markRemote, RemoteError } from '../errors.js';
import { type BaseProxy, type ProxyChannel, type ProxyRegistry, stateOf } from '../proxies/base-proxy.js';
import { type Address, addressKey, describeAddress, familyOf } from './address.js';
import { setEncodingTo } from './codec-context.js';
import { makeProxy, trackRemote } from './factory.js';
import { ERROR, FAILED, MANAGER_OID, OK, PROXY, type Reply, type Request, VOID } from './protocol.js';
import { isolate } from './state.js';
import { canLink, forgetBacklog, holdLoop, offerLink, watchBacklog } from './link-client.js';
import { BELL, sleepAsync, sleepSync } from './ring.js';
import { Link, type LinkOffer, type Packed } from './shared-link.js';
import { pack, unpack, type Unpacked } from './wire.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  registry: ProxyRegistry | null;
}

/**
 * How long a call waits for its reply with `Atomics.wait` on a shared link before waiting
 * asynchronously (the event loop is blocked meanwhile; a reply of a method that does not wait
 * on the server comes in tens of µs).
 */
const SYNC_WAIT_MS = 2;
/** While calls wait asynchronously on a shared link, how often the socket is checked for the server's end. */
const LIVENESS_MS = 100;
function keyHex(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}

export class Channel implements ProxyChannel {
  readonly local = false;
  readonly address: Address;
  /** addressKey(address): what proxies encoded for this server compare with. */
  readonly addressKey: string;
  readonly authkey: Uint8Array;
  readonly #registryKey: string;
  #conn: Connection | null = null;
  /** True once the hello was answered: requests then go straight out. */
  #open = false;
  readonly #queue: Request[] = [];
  readonly #pending = new Map<number, Pending>();
  #rid = 0;
  #reading = false;
  #failure: Error | null = null;
  /** The shared-memory path to a server in another thread of this process (shared-link.ts), once upgraded. */
  #link: Link | null = null;
  #syncWaiting = false;
  /** Set after a blocking wait timed out, until the event loop turns (see #awaitLink). */
  #syncPaused = false;
  readonly #resumeSync = (): void => {
    this.#syncPaused = false;
  };
  #asyncWaiting = false;
  readonly #onMessage = (message: Unpacked): void => this.#dispatch(message);
  /** Resolves when connected and greeted; rejects if that fails. */
  readonly ready: Promise<void>;

  constructor(address: Address, authkey: Uint8Array, registryKey: string) {
    this.address = address;
    this.addressKey = addressKey(address);
    this.authkey = authkey;
    this.#registryKey = registryKey;
    this.ready = this.#connect();
    this.ready.catch(() => {});
  }

  /** True once the connection failed or was closed: proxies on it can no longer be used. */
  get closed(): boolean {
    return this.#failure !== null;
  }

  call(oid: number, method: string, args: readonly unknown[], registry: ProxyRegistry | null): Promise<unknown> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const rid = ++this.#rid;
    const promise = new Promise((resolve, reject) => {
      this.#pending.set(rid, { resolve, reject, registry });
      this.#post([rid, oid, method, args as unknown[]]);
    });
    if (this.#link !== null && this.#pending.has(rid)) this.#awaitLink(rid);
    return promise;
  }

  send(oid: number, method: string, args: readonly unknown[]): void {
    if (this.#failure === null) this.#post([0, oid, method, args as unknown[]]);
  }

  #post(request: Request): void {
    if (!this.#open || this.#conn === null) {
      this.#queue.push(request);
      return;
    }
    if (this.#link !== null) {
      this.#writeLink(this.#link, this.#conn, request);
      return;
    }
    this.#write(this.#conn, request);
    if (!this.#reading && this.#pending.size > 0) void this.#readLoop(this.#conn);
  }

  #write(conn: Connection, request: Request): void {
    setEncodingTo(this.addressKey);
    try {
      conn.send(pack(request));
    } catch (error) {
      // Unserializable arguments (or a broken connection, which the read loop reports too).
      const pending = this.#pending.get(request[0]);
      if (pending !== undefined) {
        this.#pending.delete(request[0]);
        pending.reject(error);
      }
    } finally {
      setEncodingTo(null);
    }
  }

  #writeLink(link: Link, conn: Connection, request: Request): void {
    let packed: Packed;
    setEncodingTo(this.addressKey);
    try {
      packed = pack(request) as Packed;
    } catch (error) {
      // Unserializable arguments: that call fails, the connection goes on.
      const pending = this.#pending.get(request[0]);
      if (pending !== undefined) {
        this.#pending.delete(request[0]);
        pending.reject(error);
      }
      return;
    } finally {
      setEncodingTo(null);
    }
    try {
      link.send(packed, (large) => conn.send(large));
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    if (link.backlogged) {
      watchBacklog(link);
      // A send without a reply (decref, namespace assignment) must still leave: the pump waits for room.
      void this.#pumpLink(link);
    }
  }

  /**
   * Waits for the reply to `rid` on the link: first blocking (Atomics.wait, up to
   * SYNC_WAIT_MS), which is what makes a call cheap, then asynchronously.
   */
  #awaitLink(rid: number): void {
    const link = this.#link!;
    if (!this.#syncWaiting && !this.#syncPaused) {
      this.#syncWaiting = true;
      try {
        const bell = link.bell;
        let deadline = 0;
        for (;;) {
          const seen = Atomics.load(bell, BELL);
          link.flush();
          if (link.pump(this.#onMessage) !== null || !this.#pending.has(rid) || this.#failure !== null) break;
          const now = performance.now();
          if (deadline === 0) deadline = now + SYNC_WAIT_MS;
          else if (now >= deadline) {
            // This reply is slow (a method that waits on the server): until the event loop has
            // turned, later calls wait asynchronously, so that many such calls made together
            // (Promise.all of event.wait()...) block this thread once, not once each.
            this.#syncPaused = true;
            setImmediate(this.#resumeSync);
            break;
          }
          sleepSync(bell, seen, deadline - now);
        }
      } catch (error) {
        this.#fail(error as Error);
      } finally {
        this.#syncWaiting = false;
      }
    }
    if (this.#pending.size > 0 || link.backlogged) void this.#pumpLink(link);
  }

  /** Reads the link until no call is pending and nothing waits to be sent. */
  async #pumpLink(link: Link): Promise<void> {
    if (this.#asyncWaiting) return;
    this.#asyncWaiting = true;
    holdLoop(true);
    try {
      const bell = link.bell;
      while (this.#failure === null && (this.#pending.size > 0 || link.backlogged)) {
        const seen = Atomics.load(bell, BELL);
        link.flush();
        const blocked = link.pump(this.#onMessage);
        if (blocked !== null) {
          if (link.awaitingSocket) void this.#readSocket(link);
          await blocked;
          continue;
        }
        if (this.#pending.size === 0 && !link.backlogged) break;
        if ((await sleepAsync(bell, seen, LIVENESS_MS)) === 'timed-out') await this.#checkSocket(link);
      }
    } catch (error) {
      this.#fail(error as Error);
    } finally {
      this.#asyncWaiting = false;
      holdLoop(false);
      if (!link.backlogged) forgetBacklog(link);
    }
  }

  /** Reads one message of the socket for the link (the part of an ON_SOCKET frame). */
  async #readSocket(link: Link): Promise<void> {
    try {
      link.deliverSocket(await this.#conn!.recv());
    } catch (error) {
      link.endSocket();
      this.#fail(error as Error);
    }
  }

  /** The socket of a link carries only large messages; its end (the server is gone) is seen here. */
  async #checkSocket(link: Link): Promise<void> {
    const conn = this.#conn!;
    if (await conn.poll(0)) await this.#readSocket(link);
  }

  async #connect(): Promise<void> {
    let conn: Connection;
    try {
      conn = await Client(this.address, familyOf(this.address), this.authkey);
    } catch (error) {
      this.#fail(error as Error);
      throw error;
    }
    if (this.#failure !== null) {
      conn.close();
      throw this.#failure;
    }
    this.#conn = conn;
    // The hello goes alone, and the rest waits for its answer: until the server has finished its
    // side of the authkey handshake it accepts only frames of up to 256 bytes, and a larger first
    // request sent right behind the handshake could arrive before it has (see the README).
    const rid = ++this.#rid;
    const hello = new Promise<unknown>((resolve, reject) => this.#pending.set(rid, { resolve, reject, registry: null }));
    this.#write(conn, [rid, MANAGER_OID, 'hello', [currentProcess().name.slice(0, 64), process.pid]]);
    await this.#readOne(conn);
    const [serverAddress, , offer] = (await hello) as [Address, number, unknown];
    const own = addressKey(serverAddress);
    if (own !== this.addressKey) isolate.aliases.set(own, this.address);
    if (canLink(offer)) await this.#upgrade(conn, offer);
    if (this.#failure !== null) throw this.#failure;
    this.#open = true;
    const link = this.#link;
    if (link !== null) {
      for (const request of this.#queue.splice(0)) this.#writeLink(link, conn, request);
      if (this.#pending.size > 0 || link.backlogged) void this.#pumpLink(link);
      return;
    }
    for (const request of this.#queue.splice(0)) this.#write(conn, request);
    if (!this.#reading && this.#pending.size > 0) void this.#readLoop(conn);
  }

  /**
   * Moves this connection to shared memory (shared-link.ts): the rings go to the server's lobby
   * with a token, the token over the authenticated socket; the server's answer comes over the
   * socket, and every later message goes through the rings. If anything fails, the connection
   * simply stays on its socket.
   */
  async #upgrade(conn: Connection, offer: LinkOffer): Promise<void> {
    const posted = offerLink(offer);
    if (posted === null) return;
    const { sab, token } = posted;
    const rid = ++this.#rid;
    const answer = new Promise<unknown>((resolve, reject) => this.#pending.set(rid, { resolve, reject, registry: null }));
    this.#write(conn, [rid, MANAGER_OID, 'upgrade', [token]]);
    await this.#readOne(conn);
    let accepted: unknown;
    try {
      accepted = await answer;
    } catch (error) {
      // An older server without links answers with an error: stay on the socket.
      if (this.#failure !== null) throw error;
      return;
    }
    if (accepted === true) this.#link = new Link(sab, 'client');
  }

  /**
   * Reads and dispatches one message while connecting (the answer to the hello or the upgrade:
   * nothing else is in flight then). No read loop runs during the handshake, so that none is
   * left reading the socket of a connection that moves to shared memory.
   */
  async #readOne(conn: Connection): Promise<void> {
    try {
      let message = unpack(await conn.recv());
      if (message instanceof Promise) message = await message;
      this.#dispatch(message);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  async #readLoop(conn: Connection): Promise<void> {
    this.#reading = true;
    try {
      while (this.#pending.size > 0) {
        let message = unpack(await conn.recv());
        if (message instanceof Promise) message = await message;
        this.#dispatch(message);
      }
    } catch (error) {
      this.#fail(error as Error);
    } finally {
      this.#reading = false;
    }
  }

  #dispatch(message: Unpacked): void {
    const [rid, status] = message.head as [Reply[0], Reply[1]];
    const value = message.payload;
    const pending = this.#pending.get(rid);
    if (pending === undefined) return;
    this.#pending.delete(rid);
    if (message.error !== undefined) {
      const cause = message.error as Error;
      pending.reject(new RemoteError(`the manager's reply could not be decoded in this process: ${cause?.message ?? String(cause)}`, { cause }));
      return;
    }
    switch (status) {
      case OK:
        pending.resolve(value);
        return;
      case VOID:
        pending.resolve(undefined);
        return;
      case ERROR:
        pending.reject(markRemote(value));
        return;
      case FAILED: {
        const [message, stack] = value as [string, string | undefined];
        pending.reject(new RemoteError(message, { remoteStack: stack }));
        return;
      }
      case PROXY: {
        const [id, typeid, exposed] = value as [number, string, string[] | null];
        pending.resolve(this.proxy(id, typeid, exposed, pending.registry));
        return;
      }
      default:
        pending.reject(new RemoteError(`the manager's server sent a reply of unknown kind ${String(status)}: are both ends the same version of @mp/manager?`));
    }
  }

  /** A proxy for a new reference that the server took for this connection. */
  proxy(id: number, typeid: string, exposed: readonly string[] | null, registry: ProxyRegistry | null): BaseProxy {
    const proxy = makeProxy({ typeid, id, address: this.address, exposed, channel: this, registry, authkey: this.authkey, proxytype: null });
    trackRemote(proxy, stateOf(proxy)!, this);
    return proxy;
  }

  #fail(cause: Error): void {
    if (this.#failure !== null) return;
    const error =
      cause instanceof EOFError || (cause as { name?: string }).name === 'EOFError'
        ? new EOFError(
            `the connection to the manager at ${describeAddress(this.address)} was lost: its server was shut down or died (${cause.message})`,
            { cause },
          )
        : cause;
    this.#failure = error;
    if (isolate.channels.get(this.#registryKey) === this) isolate.channels.delete(this.#registryKey);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#queue.length = 0;
    if (this.#link !== null) {
      forgetBacklog(this.#link);
      this.#link.endSocket();
      this.#link.wake();
    }
    this.#conn?.close();
  }

  /** Closes the connection; pending and later calls reject with `reason`. */
  close(reason?: Error): void {
    this.#fail(reason ?? new EOFError(`the manager at ${describeAddress(this.address)} was shut down; its proxies can no longer be used`));
  }
}

/**
 * The channel of this isolate to the server at `address` with `authkey` (default: the key this
 * isolate knows for that address, else the process's authkey), made on first use.
 */
export function channelFor(address: Address, authkey?: Uint8Array | null): Channel {
  const key = addressKey(address);
  const secret = authkey ?? isolate.keyring.get(key) ?? currentProcess().authkey;
  const registryKey = `${key}|${keyHex(secret)}`;
  const existing = isolate.channels.get(registryKey) as Channel | undefined;
  if (existing !== undefined && !existing.closed) return existing;
  const channel = new Channel(address, secret, registryKey);
  isolate.channels.set(registryKey, channel);
  return channel;
}

/** Closes every channel of this isolate to `address` (after its manager was shut down). */
export function closeChannelsTo(address: Address, reason?: Error): void {
  const prefix = `${addressKey(address)}|`;
  for (const [key, channel] of [...isolate.channels]) if (key.startsWith(prefix)) (channel as Channel).close(reason);
}
