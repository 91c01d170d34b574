/**
 * The heart of a manager's server: method dispatch and the connections being served (the
 * objects and their reference counts are in object-table.ts). A closed connection gives all its
 * references back, so a client that dies leaks nothing.
 *
 * Dispatch: a request starts as soon as it arrives (in order per connection); a method that
 * returns a Promise is awaited and answered when it settles, so one client's blocking call does
 * not hold up anyone (the event loop is never blocked). The caller's identity (for RLock
 * ownership) is set around the synchronous part of each call (see caller.ts).
 */
import type { Connection } from '@mp/connection';
import { dumps, loads } from '@mp/serialize';
import { RemoteError } from '../errors.js';
import { type BaseProxy, type ProxyChannel, stateOf } from '../proxies/base-proxy.js';
import type { Address } from './address.js';
import { type Caller, currentCaller, runAs } from './caller.js';
import { setEncodingFor } from './codec-context.js';
import { makeProxy } from './factory.js';
import { ERROR, FAILED, GETVALUE, MANAGER_OID, OK, PROXY, type Reply, REPR, type Request, VOID } from './protocol.js';
import { collectGarbage, Failure, type ObjectEntry, ObjectTable } from './object-table.js';
import { BUILTINS, plainValue } from './referents/index.js';
import { invokeCallable, isBuiltin, type TypeSpec } from './registry.js';
import { repr } from './repr.js';
import type { LocalServer, ProxyData } from './state.js';
import { BELL, sleepAsync } from './ring.js';
import { Lobby } from './server-lobby.js';
import { Link, type Packed } from './shared-link.js';
import { pack, unpack, type Unpacked } from './wire.js';

interface Client extends Caller {
  readonly conn: Connection;
  readonly refs: Map<number, number>;
  readonly controller: AbortController;
  /** What the proxy codec sees while a reply to this client is encoded. */
  target: { readonly server: object; readonly client: object } | null;
  /** The shared-memory path to this client, once upgraded (a thread of this process; shared-link.ts). */
  link: Link | null;
}



function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function describeExposed(list: readonly string[]): string {
  return `[${list.map((n) => `'${n}'`).join(', ')}]`;
}

export class ServerCore implements LocalServer {
  address: Address;
  readonly #table: ObjectTable;
  readonly #clients = new Set<Client>();
  readonly #onShutdown: () => void;
  readonly #isActive: () => boolean;
  readonly #local: ProxyChannel & { closed: boolean };
  readonly #finalizer = new FinalizationRegistry<number>((id) => this.#table.decref(this.#table.serverRefs, id));
  #nextClient = 1;
  /** Where client threads of this process post their link memory (null where BroadcastChannel is missing). */
  readonly #lobby: Lobby | null = Lobby.open();

  constructor(specs: Map<string, TypeSpec>, address: Address, onShutdown: () => void, isActive: () => boolean) {
    this.address = address;
    this.#onShutdown = onShutdown;
    this.#isActive = isActive;
    const core = this;
    this.#local = {
      local: true,
      closed: false,
      call: (oid, method, args) => core.#callLocal(oid, method, args),
      send: (oid, method, args) => void core.#callLocal(oid, method, args).catch(() => {}),
    };
    this.#table = new ObjectTable(specs, (value) => stateOf(value)?.channel === this.#local);
  }

  /** LocalServer: still listening. */
  get active(): boolean {
    return this.#isActive();
  }

  /** Number of live shared objects (Python's `_number_of_objects`). */
  get size(): number {
    return this.#table.size;
  }

  // ------------------------------------------------------------------ connections

  /** Serves one authenticated connection until it closes. */
  attach(conn: Connection): void {
    const controller = new AbortController();
    const id = this.#nextClient++;
    const client: Client = { id, name: `client-${id}`, signal: controller.signal, conn, refs: new Map(), controller, target: null, link: null };
    client.target = { server: this, client };
    this.#clients.add(client);
    void this.#serve(client);
  }

  async #serve(client: Client): Promise<void> {
    const handle = (message: Unpacked): void => this.#request(client, message);
    try {
      for (;;) {
        const received = await client.conn.recv();
        if (client.link !== null) {
          // An upgraded connection's socket carries only the messages too large for its rings.
          client.link.deliverSocket(received);
          continue;
        }
        let message = unpack(received);
        if (message instanceof Promise) message = await message;
        handle(message);
      }
    } catch {
      // EOF (the client went away) or a broken connection
    } finally {
      const link = client.link;
      if (link !== null && this.#clients.has(client)) {
        // What the client wrote before it went is served first (as a socket delivers what was
        // written before its end).
        link.endSocket();
        try {
          for (let blocked = link.pump(handle); blocked !== null; blocked = link.pump(handle)) await blocked;
        } catch {
          // a malformed frame: nothing more to serve
        }
      }
      this.#drop(client);
    }
  }

  /** One request of `client`; throws on a malformed one (the connection is then dropped). */
  #request(client: Client, message: Unpacked): void {
    const [rid, oid, method] = message.head as [number, number, string];
    if (typeof rid !== 'number' || typeof oid !== 'number' || typeof method !== 'string') throw new Failure('malformed request');
    if (message.error !== undefined) {
      const cause = message.error as Error;
      this.#fail(client, rid, `the arguments of ${method}() could not be decoded on the manager's server: ${cause?.message ?? String(cause)}`);
      return;
    }
    if (!Array.isArray(message.payload)) throw new Failure('malformed request');
    this.#handle(client, [rid, oid, method, message.payload]);
  }

  /** Serves an upgraded client's requests from its ring, waking on its bell. */
  async #serveLink(client: Client, link: Link): Promise<void> {
    const handle = (message: Unpacked): void => this.#request(client, message);
    const bell = link.bell;
    try {
      while (this.#clients.has(client)) {
        const seen = Atomics.load(bell, BELL);
        link.flush();
        const blocked = link.pump(handle);
        if (blocked !== null) {
          await blocked;
          continue;
        }
        await sleepAsync(bell, seen);
      }
    } catch {
      // a malformed frame or request: this connection is unusable
      this.#drop(client);
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    client.controller.abort(new Error(`the manager's client ${client.name} disconnected`));
    this.#table.releaseAll(client.refs);
    client.conn.close();
    client.link?.wake();
  }

  /** Closes every connection (shutdown). */
  close(): void {
    this.#local.closed = true;
    this.#lobby?.close();
    for (const client of [...this.#clients]) this.#drop(client);
  }

  // ------------------------------------------------------------------ replies

  #send(client: Client, reply: Reply): void {
    if (reply[0] === 0) return;
    setEncodingFor(client.target);
    try {
      const link = client.link;
      if (link !== null) link.send(pack(reply) as Packed, (large) => client.conn.send(large));
      else client.conn.send(pack(reply));
    } catch (error) {
      if (reply[1] === FAILED) return;
      const what = reply[1] === ERROR ? 'the error raised by the method' : 'the result';
      this.#send(client, [reply[0], FAILED, [`${what} could not be sent back: ${(error as Error).message}`, (error as Error).stack]]);
    } finally {
      setEncodingFor(null);
    }
  }

  #fail(client: Client, rid: number, message: string): void {
    const stack = new Failure(message).stack?.replace(/^Error/, 'RemoteError');
    this.#send(client, [rid, FAILED, [message, stack]]);
  }

  #error(client: Client, rid: number, error: unknown): void {
    if (error instanceof Failure) this.#fail(client, rid, error.message);
    else this.#send(client, [rid, ERROR, error]);
  }

  // ------------------------------------------------------------------ dispatch

  #handle(client: Client, request: Request): void {
    const [rid, oid, method, args] = request;
    if (oid === MANAGER_OID) {
      this.#manager(client, rid, method, args);
      return;
    }
    const entry = this.#table.get(oid);
    if (entry === undefined) {
      this.#fail(client, rid, `no shared object with id ${oid} on this manager: it was freed (no proxy of it was left) or its manager was restarted`);
      return;
    }
    let result: unknown;
    try {
      result = runAs(client, () => this.#invoke(entry, method, args));
    } catch (error) {
      this.#error(client, rid, error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.#result(client, rid, entry, method, value),
        (error: unknown) => this.#error(client, rid, error),
      );
    } else {
      this.#result(client, rid, entry, method, result);
    }
  }

  #invoke(entry: ObjectEntry, method: string, args: unknown[]): unknown {
    if (method === REPR) return repr(entry.referent);
    if (method === GETVALUE) return plainValue(entry.referent);
    if (!entry.exposed.has(method)) {
      throw new Failure(`method '${method}' of ${entry.typeid} object is not in exposed=${describeExposed(entry.exposedList)}`);
    }
    const fn = (entry.referent as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new Failure(`${entry.typeid} object has no method '${method}' (it is listed in exposed, but is not a function)`);
    return (fn as (...a: unknown[]) => unknown).apply(entry.referent, args);
  }

  #result(client: Client, rid: number, entry: ObjectEntry, method: string, value: unknown): void {
    const typeid = entry.methodToTypeid?.[method];
    if (typeid === undefined) {
      this.#send(client, value === undefined ? [rid, VOID, 0] : [rid, OK, value]);
      return;
    }
    try {
      const created = this.#table.register(value, typeid);
      this.#table.incref(client.refs, created.id);
      this.#send(client, [rid, PROXY, [created.id, typeid, created.exposedList]]);
    } catch (error) {
      this.#error(client, rid, error);
    }
  }

  #manager(client: Client, rid: number, method: string, args: unknown[]): void {
    try {
      switch (method) {
        case 'hello':
          if (typeof args[0] === 'string') client.name = args[0];
          this.#send(client, [rid, OK, [this.address, process.pid, this.#lobby?.offer ?? null]]);
          return;
        case 'upgrade': {
          const token = args[0];
          if (typeof token !== 'string' || client.link !== null || this.#lobby === null) throw new Failure('upgrade: not available');
          void this.#lobby.take(token).then((sab) => {
            let link: Link | null = null;
            try {
              if (sab !== null) link = new Link(sab, 'server');
            } catch {
              link = null;
            }
            // The answer goes over the socket; every later message through the rings.
            this.#send(client, [rid, OK, link !== null]);
            if (link !== null && this.#clients.has(client)) {
              client.link = link;
              void this.#serveLink(client, link);
            }
          });
          return;
        }
        case 'create': {
          const [typeid, createArgs] = args as [string, unknown[]];
          const made = runAs(client, () => this.#construct(typeid, createArgs ?? []));
          const finish = (referent: unknown): void => {
            try {
              const entry = this.#table.register(referent, typeid);
              this.#table.incref(client.refs, entry.id);
              this.#send(client, [rid, PROXY, [entry.id, typeid, entry.exposedList]]);
            } catch (error) {
              this.#error(client, rid, error);
            }
          };
          if (isThenable(made)) made.then(finish, (error: unknown) => this.#error(client, rid, error));
          else finish(made);
          return;
        }
        case 'incref':
          if (!this.#table.incref(client.refs, args[0] as number) && rid !== 0) throw new Failure(`incref: no shared object with id ${String(args[0])}`);
          this.#send(client, [rid, OK, null]);
          return;
        case 'decref':
          this.#table.decref(client.refs, args[0] as number);
          this.#send(client, [rid, OK, null]);
          return;
        case 'numberOfObjects':
          void collectGarbage().then(() => this.#send(client, [rid, OK, this.#table.size]));
          return;
        case 'debugInfo':
          void collectGarbage().then(() => this.#send(client, [rid, OK, this.debugInfo()]));
          return;
        case 'dummy':
          this.#send(client, [rid, OK, null]);
          return;
        case 'shutdown':
          this.#send(client, [rid, OK, null]);
          setImmediate(this.#onShutdown);
          return;
        default:
          throw new Failure(`unknown manager operation '${method}'`);
      }
    } catch (error) {
      this.#error(client, rid, error);
    }
  }

  /** Makes a new object of `typeid` (may return a Promise for an async callable). */
  #construct(typeid: string, args: readonly unknown[]): unknown {
    const spec = this.#table.spec(typeid);
    if (spec === undefined) {
      throw new Failure(`no type '${typeid}' is registered on this manager's server: register it (with its callable) on the manager class that started the server`);
    }
    const callable = spec.callable;
    if (callable === null) {
      throw new Failure(`type '${typeid}' was registered without a callable on the server, so it cannot be created: register it with a callable where the server starts`);
    }
    if (isBuiltin(callable)) {
      const make = BUILTINS[callable.builtin];
      if (make === undefined) throw new Failure(`unknown built-in type '${callable.builtin}'`);
      return make(args, (value) => this.#unwrap(value));
    }
    return invokeCallable(callable, args);
  }

  // ------------------------------------------------------------------ references

  /** LocalServer: a reference for a client, taken while encoding a reply to it. */
  increfFor(client: object, id: number): void {
    this.#table.incref((client as Client).refs, id);
  }

  /** LocalServer: a proxy of one of this server's objects, used inside the server. */
  reviveLocal(data: ProxyData): object {
    const entry = this.#table.get(data.i);
    const proxy = makeProxy({
      typeid: data.t,
      id: data.i,
      address: this.address,
      exposed: data.e ?? entry?.exposedList ?? null,
      channel: this.#local,
      registry: null,
      authkey: null,
      proxytype: (data.p as never) ?? null,
    });
    if (entry !== undefined && this.#table.incref(this.#table.serverRefs, data.i)) {
      const token = {};
      this.#finalizer.register(proxy, data.i, token);
      stateOf(proxy)!.release = () => {
        this.#finalizer.unregister(token);
        this.#table.decref(this.#table.serverRefs, data.i);
      };
    }
    return proxy;
  }

  /** The referent behind one of this server's own proxies (else the value itself). */
  #unwrap(value: unknown): unknown {
    const state = stateOf(value);
    if (state === undefined || state.channel !== this.#local) return value;
    return this.#table.get(state.id)?.referent ?? value;
  }

  /**
   * A call through a proxy revived inside the server: dispatched directly, as the current caller
   * (the client being served, if any). Arguments and results are copied, as over a connection.
   */
  async #callLocal(oid: number, method: string, args: readonly unknown[]): Promise<unknown> {
    const caller = currentCaller();
    if (oid === MANAGER_OID) {
      if (method === 'incref') return this.#table.incref(this.#table.serverRefs, args[0] as number);
      if (method === 'decref') return this.#table.decref(this.#table.serverRefs, args[0] as number);
      throw new RemoteError(`the manager operation '${method}' is not available inside the server`);
    }
    const entry = this.#table.get(oid);
    if (entry === undefined) throw new RemoteError(`no shared object with id ${oid} on this manager: it was freed`);
    const copied = loads<unknown[]>(dumps(args));
    let value: unknown;
    try {
      value = await runAs(caller, () => this.#invoke(entry, method, copied));
    } catch (error) {
      if (error instanceof Failure) throw new RemoteError(error.message, { remoteStack: error.stack });
      throw error;
    }
    const typeid = entry.methodToTypeid?.[method];
    if (typeid !== undefined) {
      const created = this.#table.register(value, typeid);
      return this.reviveLocal({ t: typeid, a: this.address, i: created.id, e: created.exposedList, p: null, k: null, r: 0 }) as BaseProxy;
    }
    return loads(dumps(value));
  }

  /** Python's `_debug_info()`: one line per live object. */
  debugInfo(): string {
    return this.#table.debugInfo();
  }
}
