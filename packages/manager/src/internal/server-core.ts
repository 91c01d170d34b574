/**
 * The heart of a manager's server: the table of shared objects, method dispatch, reference
 * counts, and the connections being served.
 *
 * Object table: id → { referent, typeid, exposed, methodToTypeid, refcount }. `refcount` is the
 * sum of the references held by every client connection (`client.refs`, id → count) and by the
 * server itself (`#serverRefs`: proxies revived inside the server, e.g. a list proxy stored in a
 * dict). An object is freed when its refcount reaches 0; a closed connection gives all its
 * references back, so a client that dies leaks nothing.
 *
 * Dispatch: a request starts as soon as it arrives (in order per connection); a method that
 * returns a Promise is awaited and answered when it settles, so one client's blocking call does
 * not hold up anyone (the event loop is never blocked). The caller's identity (for RLock
 * ownership) is set around the synchronous part of each call (see caller.ts).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Connection } from '@mp/connection';
import { dumps, loads } from '@mp/serialize';
import { RemoteError } from '../errors.js';
import { Namespace } from '../namespace.js';
import { type BaseProxy, type ProxyChannel, stateOf } from '../proxies/base-proxy.js';
import type { Address } from './address.js';
import { type Caller, currentCaller, runAs, SERVER_CALLER } from './caller.js';
import { setEncodingFor } from './codec-context.js';
import { makeProxy } from './factory.js';
import { ERROR, FAILED, GETVALUE, MANAGER_OID, OK, PROXY, type Reply, REPR, type Request, VOID } from './protocol.js';
import { adapt, BUILTINS, plainValue } from './referents/index.js';
import { invokeCallable, isBuiltin, publicMethods, type TypeSpec } from './registry.js';
import { repr } from './repr.js';
import type { LocalServer, ProxyData } from './state.js';
import { pack, unpack } from './wire.js';

interface ObjectEntry {
  readonly id: number;
  readonly referent: object;
  readonly typeid: string;
  readonly exposed: ReadonlySet<string>;
  readonly exposedList: readonly string[];
  readonly methodToTypeid: Readonly<Record<string, string>> | null;
  refcount: number;
}

interface Client extends Caller {
  readonly conn: Connection;
  readonly refs: Map<number, number>;
  readonly controller: AbortController;
  /** What the proxy codec sees while a reply to this client is encoded. */
  target: { readonly server: object; readonly client: object } | null;
}

/** A failure of the manager machinery (sent as a RemoteError). */
class Failure extends Error {}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

let collect: (() => void) | null | undefined;

/** A full garbage collection, so that proxies dropped inside the server give their references back. */
function collectGarbage(): Promise<void> {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  // FinalizationRegistry callbacks run in later tasks.
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function describeExposed(list: readonly string[]): string {
  return `[${list.map((n) => `'${n}'`).join(', ')}]`;
}

export class ServerCore implements LocalServer {
  address: Address;
  readonly #specs: Map<string, TypeSpec>;
  readonly #exposedSets = new Map<string, ReadonlySet<string>>();
  readonly #objects = new Map<number, ObjectEntry>();
  readonly #serverRefs = new Map<number, number>();
  readonly #clients = new Set<Client>();
  readonly #onShutdown: () => void;
  readonly #isActive: () => boolean;
  readonly #local: ProxyChannel & { closed: boolean };
  readonly #finalizer = new FinalizationRegistry<number>((id) => this.#decref(this.#serverRefs, id));
  #nextId = 1;
  #nextClient = 1;

  constructor(specs: Map<string, TypeSpec>, address: Address, onShutdown: () => void, isActive: () => boolean) {
    this.#specs = specs;
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
  }

  /** LocalServer: still listening. */
  get active(): boolean {
    return this.#isActive();
  }

  /** Number of live shared objects (Python's `_number_of_objects`). */
  get size(): number {
    return this.#objects.size;
  }

  // ------------------------------------------------------------------ connections

  /** Serves one authenticated connection until it closes. */
  attach(conn: Connection): void {
    const controller = new AbortController();
    const id = this.#nextClient++;
    const client: Client = { id, name: `client-${id}`, signal: controller.signal, conn, refs: new Map(), controller, target: null };
    client.target = { server: this, client };
    this.#clients.add(client);
    void this.#serve(client);
  }

  async #serve(client: Client): Promise<void> {
    try {
      for (;;) {
        let message = unpack(await client.conn.recv());
        if (message instanceof Promise) message = await message;
        const [rid, oid, method] = message.head as [number, number, string];
        if (typeof rid !== 'number' || typeof oid !== 'number' || typeof method !== 'string') throw new Failure('malformed request');
        if (message.error !== undefined) {
          const cause = message.error as Error;
          this.#fail(client, rid, `the arguments of ${method}() could not be decoded on the manager's server: ${cause?.message ?? String(cause)}`);
          continue;
        }
        if (!Array.isArray(message.payload)) throw new Failure('malformed request');
        this.#handle(client, [rid, oid, method, message.payload]);
      }
    } catch {
      // EOF (the client went away) or a broken connection
    } finally {
      this.#drop(client);
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    client.controller.abort(new Error(`the manager's client ${client.name} disconnected`));
    for (const [id, count] of client.refs) {
      const entry = this.#objects.get(id);
      if (entry !== undefined && (entry.refcount -= count) <= 0) this.#free(entry);
    }
    client.refs.clear();
    client.conn.close();
  }

  /** Closes every connection (shutdown). */
  close(): void {
    this.#local.closed = true;
    for (const client of [...this.#clients]) this.#drop(client);
  }

  // ------------------------------------------------------------------ replies

  #send(client: Client, reply: Reply): void {
    if (reply[0] === 0) return;
    setEncodingFor(client.target);
    try {
      client.conn.send(pack(reply));
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
    const entry = this.#objects.get(oid);
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
      const created = this.#register(value, typeid);
      this.#incref(client.refs, created.id);
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
          this.#send(client, [rid, OK, [this.address, process.pid]]);
          return;
        case 'create': {
          const [typeid, createArgs] = args as [string, unknown[]];
          const made = runAs(client, () => this.#construct(typeid, createArgs ?? []));
          const finish = (referent: unknown): void => {
            try {
              const entry = this.#register(referent, typeid);
              this.#incref(client.refs, entry.id);
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
          if (!this.#incref(client.refs, args[0] as number) && rid !== 0) throw new Failure(`incref: no shared object with id ${String(args[0])}`);
          this.#send(client, [rid, OK, null]);
          return;
        case 'decref':
          this.#decref(client.refs, args[0] as number);
          this.#send(client, [rid, OK, null]);
          return;
        case 'numberOfObjects':
          void collectGarbage().then(() => this.#send(client, [rid, OK, this.#objects.size]));
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
    const spec = this.#specs.get(typeid);
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

  #register(value: unknown, typeid: string): ObjectEntry {
    const spec = this.#specs.get(typeid);
    const referent = adapt(spec?.adapter ?? null, value);
    if ((typeof referent !== 'object' && typeof referent !== 'function') || referent === null) {
      throw new Failure(`the ${typeid} object is ${referent === null ? 'null' : `a ${typeof referent}`}: only objects can be shared through a proxy`);
    }
    let exposedList: readonly string[];
    let exposed: ReadonlySet<string>;
    if (spec?.exposed) {
      exposedList = spec.exposed;
      let set = this.#exposedSets.get(typeid);
      if (set === undefined) this.#exposedSets.set(typeid, (set = new Set(exposedList)));
      exposed = set;
    } else {
      exposedList = publicMethods(referent);
      exposed = new Set(exposedList);
    }
    const entry: ObjectEntry = { id: this.#nextId++, referent, typeid, exposed, exposedList, methodToTypeid: spec?.methodToTypeid ?? null, refcount: 0 };
    this.#objects.set(entry.id, entry);
    return entry;
  }

  // ------------------------------------------------------------------ references

  #incref(refs: Map<number, number>, id: number): boolean {
    const entry = this.#objects.get(id);
    if (entry === undefined) return false;
    entry.refcount++;
    refs.set(id, (refs.get(id) ?? 0) + 1);
    return true;
  }

  #decref(refs: Map<number, number>, id: number): void {
    const held = refs.get(id);
    if (held === undefined) return;
    if (held <= 1) refs.delete(id);
    else refs.set(id, held - 1);
    const entry = this.#objects.get(id);
    if (entry !== undefined && --entry.refcount <= 0) this.#free(entry);
  }

  /**
   * Removes an object, and gives back at once the references that this server's own proxies
   * inside it hold (a list proxy stored in a freed dict), as Python's refcounting would, instead
   * of waiting for this process's garbage collector.
   */
  #free(entry: ObjectEntry): void {
    if (this.#objects.get(entry.id) !== entry) return;
    this.#objects.delete(entry.id);
    const seen = new Set<object>();
    const visit = (value: unknown, depth: number): void => {
      if (typeof value !== 'object' || value === null || depth > 16 || seen.has(value)) return;
      seen.add(value);
      const state = stateOf(value);
      if (state !== undefined) {
        if (state.channel === this.#local) (value as BaseProxy)[Symbol.dispose]();
        return;
      }
      if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
      else if (value instanceof Map) for (const [k, v] of value) (visit(k, depth + 1), visit(v, depth + 1));
      else if (value instanceof Set) for (const item of value) visit(item, depth + 1);
      else if (value instanceof Namespace || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) for (const v of Object.values(value)) visit(v, depth + 1);
    };
    visit(plainValue(entry.referent), 0);
  }

  /** LocalServer: a reference for a client, taken while encoding a reply to it. */
  increfFor(client: object, id: number): void {
    this.#incref((client as Client).refs, id);
  }

  /** LocalServer: a proxy of one of this server's objects, used inside the server. */
  reviveLocal(data: ProxyData): object {
    const entry = this.#objects.get(data.i);
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
    if (entry !== undefined && this.#incref(this.#serverRefs, data.i)) {
      const token = {};
      this.#finalizer.register(proxy, data.i, token);
      stateOf(proxy)!.release = () => {
        this.#finalizer.unregister(token);
        this.#decref(this.#serverRefs, data.i);
      };
    }
    return proxy;
  }

  /** The referent behind one of this server's own proxies (else the value itself). */
  #unwrap(value: unknown): unknown {
    const state = stateOf(value);
    if (state === undefined || state.channel !== this.#local) return value;
    return this.#objects.get(state.id)?.referent ?? value;
  }

  /**
   * A call through a proxy revived inside the server: dispatched directly, as the current caller
   * (the client being served, if any). Arguments and results are copied, as over a connection.
   */
  async #callLocal(oid: number, method: string, args: readonly unknown[]): Promise<unknown> {
    const caller = currentCaller();
    if (oid === MANAGER_OID) {
      if (method === 'incref') return this.#incref(this.#serverRefs, args[0] as number);
      if (method === 'decref') return this.#decref(this.#serverRefs, args[0] as number);
      throw new RemoteError(`the manager operation '${method}' is not available inside the server`);
    }
    const entry = this.#objects.get(oid);
    if (entry === undefined) throw new RemoteError(`no shared object with id ${oid} on this manager: it was freed`);
    const copied = loads<unknown[]>(dumps(args));
    let value: unknown;
    try {
      value = await runAs(caller === SERVER_CALLER ? SERVER_CALLER : caller, () => this.#invoke(entry, method, copied));
    } catch (error) {
      if (error instanceof Failure) throw new RemoteError(error.message, { remoteStack: error.stack });
      throw error;
    }
    const typeid = entry.methodToTypeid?.[method];
    if (typeid !== undefined) {
      const created = this.#register(value, typeid);
      return this.reviveLocal({ t: typeid, a: this.address, i: created.id, e: created.exposedList, p: null, k: null, r: 0 }) as BaseProxy;
    }
    return loads(dumps(value));
  }

  /** Python's `_debug_info()`: one line per live object. */
  debugInfo(): string {
    const lines: string[] = [];
    for (const entry of this.#objects.values()) {
      let text: string;
      try {
        text = repr(entry.referent);
      } catch {
        text = '<unprintable>';
      }
      if (text.length > 75) text = `${text.slice(0, 72)}...`;
      lines.push(`  ${entry.id}:       refcount=${entry.refcount}\n    ${entry.typeid} ${text}`);
    }
    return lines.join('\n');
  }
}
