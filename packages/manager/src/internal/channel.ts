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
import { pack, unpack, type Unpacked } from './wire.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  registry: ProxyRegistry | null;
}

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
    return new Promise((resolve, reject) => {
      this.#pending.set(rid, { resolve, reject, registry });
      this.#post([rid, oid, method, args as unknown[]]);
    });
  }

  send(oid: number, method: string, args: readonly unknown[]): void {
    if (this.#failure === null) this.#post([0, oid, method, args as unknown[]]);
  }

  #post(request: Request): void {
    if (!this.#open || this.#conn === null) {
      this.#queue.push(request);
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
    void this.#readLoop(conn);
    const [serverAddress] = (await hello) as [Address];
    const own = addressKey(serverAddress);
    if (own !== this.addressKey) isolate.aliases.set(own, this.address);
    this.#open = true;
    for (const request of this.#queue.splice(0)) this.#write(conn, request);
    if (!this.#reading && this.#pending.size > 0) void this.#readLoop(conn);
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
