import type { BaseContext, Process, StartMethod } from '@mp/context';
import { ProcessError, ValueError } from '@mp/context';
import { type Address, addressKey, checkManagerAddress, describeAddress } from './internal/address.js';
import { type Channel, channelFor, closeChannelsTo } from './internal/channel.js';
import { launchServer, methodOf, registries, registryOf, toKey } from './internal/manager-support.js';
import { MANAGER_OID } from './internal/protocol.js';
import { ADAPTER, type BuiltinCallable, type Callable, isBuiltin, specsOf, type TypeEntry } from './internal/registry.js';
import { isolate } from './internal/state.js';
import type { BaseProxy, ProxyClass } from './proxies/base-proxy.js';
import { Server } from './server.js';

/**
 * Options of `new BaseManager(...)` (Python's `BaseManager(address, authkey, serializer, ctx, shutdown_timeout)`).
 *
 * @example
 * ```ts
 * const options: BaseManagerOptions = { address: ['127.0.0.1', 0], authkey: 'secret', ctx: 'spawn' };
 * const manager = await new SyncManager(options).start();
 * ```
 */
export interface BaseManagerOptions {
  /**
   * Where the server listens: `[host, port]` (TCP; port 0 = any free port; `''` = all
   * interfaces) or a Unix socket path. Default: a private Unix socket. For `connect()`: the
   * address of the running server.
   */
  address?: Address | null | undefined;
  /** The shared secret clients must prove (HMAC); default `currentProcess().authkey`. */
  authkey?: Uint8Array | string | null | undefined;
  /**
   * The start method (or context) of the server process: default, the default context's start
   * method (`'thread'` unless `setStartMethod('spawn')` was called), as Python's `Manager()`.
   */
  ctx?: BaseContext | StartMethod | null | undefined;
  /** How long `shutdown()` waits for the server to exit before terminating it, in ms (default 1000). */
  shutdownTimeout?: number | undefined;
}

/**
 * Options of `register` (Python's `proxytype`, `exposed`, `method_to_typeid`, `create_method`).
 *
 * @example
 * ```ts
 * MyManager.register('Tree', Tree, { exposed: ['child', 'path'], methodToTypeid: { child: 'Tree' } });
 * ```
 */
export interface RegisterOptions {
  /** The proxy class for this type (default: an AutoProxy of the methods the server exposes). */
  proxytype?: ProxyClass | null | undefined;
  /** The methods clients may call (default: the proxytype's `_exposed_`, else every public method). */
  exposed?: readonly string[] | null | undefined;
  /** Methods whose results are returned as proxies of the given typeids (e.g. `{ iter: 'Iterator' }`). */
  methodToTypeid?: Readonly<Record<string, string>> | null | undefined;
  /** Add a factory method named `typeid` to the manager class (default true). */
  createMethod?: boolean | undefined;
  /** Python's spelling of `methodToTypeid`. */
  method_to_typeid?: Readonly<Record<string, string>> | null | undefined;
  /** Python's spelling of `createMethod`. */
  create_method?: boolean | undefined;
}

type State = 'initial' | 'starting' | 'started' | 'connected' | 'shutdown';

/**
 * A manager (Python's `multiprocessing.managers.BaseManager`): a server process that holds
 * shared objects, and proxies that reach them. Register the types it serves with the static
 * {@link BaseManager.register} (on a subclass), then `start()` a server, or `connect()` to one
 * already running (possibly on another machine, at a TCP address, with the same authkey), or
 * serve from the current process with `getServer().serveForever()`.
 *
 * @example
 * ```ts
 * import { BaseManager } from 'multiprocess';
 *
 * class MathsClass {
 *   add(x: number, y: number) { return x + y; }
 *   mul(x: number, y: number) { return x * y; }
 * }
 * class MyManager extends BaseManager {}
 * MyManager.register('Maths', MathsClass);
 *
 * await using manager = await new MyManager().start();
 * const maths = await manager._create('Maths');
 * console.log(await maths._callMethod('add', [4, 3])); // 7
 * // the same through the generated method (typed loosely): await (manager as any).Maths()
 * ```
 */
export class BaseManager {
  #address: Address | null;
  readonly #authkey: Uint8Array;
  readonly #method: StartMethod;
  readonly #shutdownTimeout: number;
  #state: State = 'initial';
  #process: Process | null = null;
  #channel: Channel | null = null;

  constructor(options: BaseManagerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('new BaseManager({ address, authkey, ctx }) takes an options object');
    this.#address = options.address === undefined || options.address === null ? null : checkManagerAddress(options.address);
    this.#authkey = toKey(options.authkey);
    this.#method = methodOf(options.ctx);
    this.#shutdownTimeout = Math.max(0, options.shutdownTimeout ?? 1000);
  }

  /**
   * Registers a type of shared object on this manager class (and its subclasses, not its
   * parents): `typeid` names it, `callable` makes an instance on the server (a function, or a
   * class built with `new`; a client that only connects may omit it). Unless `createMethod` is
   * false, the class gains a factory method named `typeid` (`await manager.Foo(...args)`).
   *
   * @example
   * ```ts
   * class Counter { n = 0; increment() { return ++this.n; } }
   * class MyManager extends BaseManager {}
   * MyManager.register('Counter', Counter);
   * MyManager.register('squares', function* () { for (let i = 0; i < 3; i++) yield i * i; }, { proxytype: IteratorProxy });
   * ```
   */
  static register(this: Function, typeid: string, callable?: Callable | BuiltinCallable | null, options: RegisterOptions = {}): void {
    if (typeof typeid !== 'string' || typeid.length === 0) throw new TypeError('register(typeid, ...): typeid must be a non-empty string');
    if (callable !== undefined && callable !== null && typeof callable !== 'function' && !isBuiltin(callable)) {
      throw new TypeError(`register('${typeid}', callable): callable must be a function or a class, not ${typeof callable}`);
    }
    const proxytype = options.proxytype ?? null;
    const exposed = options.exposed ?? proxytype?._exposed_ ?? null;
    const methodToTypeid = options.methodToTypeid ?? options.method_to_typeid ?? proxytype?._methodToTypeid_ ?? null;
    for (const [key, value] of Object.entries(methodToTypeid ?? {})) {
      if (typeof key !== 'string' || typeof value !== 'string') throw new TypeError(`methodToTypeid: ${String(key)} → ${String(value)} is not a string → string pair`);
    }
    let own = registries.get(this);
    if (own === undefined) registries.set(this, (own = new Map(registryOf(this))));
    const entry: TypeEntry = {
      typeid,
      callable: callable ?? null,
      exposed: exposed === null ? null : [...exposed],
      methodToTypeid,
      proxytype,
      createMethod: options.createMethod ?? options.create_method ?? true,
      adapter: ((proxytype as unknown as Record<symbol, unknown> | null)?.[ADAPTER] as TypeEntry['adapter'] | undefined) ?? null,
    };
    own.set(typeid, entry);
    if (entry.createMethod) {
      const factory = {
        [typeid](this: BaseManager, ...args: unknown[]): Promise<BaseProxy> {
          return this._create(typeid, ...args);
        },
      }[typeid]!;
      Object.defineProperty(this.prototype, typeid, { value: factory, writable: true, configurable: true, enumerable: false });
    }
  }

  /**
   * The server's address: as given, and after `start()` the real one (the port chosen for port
   * 0, the socket path chosen when none was given). Null before start without an address.
   */
  get address(): Address | null {
    return this.#address;
  }

  /** The server process after `start()` (Python's `_process`), else null. */
  get _process(): Process | null {
    return this.#process;
  }

  /** `'initial'`, `'started'` (or `'connected'`), or `'shutdown'`. */
  get _state(): string {
    return this.#state;
  }

  /**
   * Starts the server process (the start method of the `ctx` option, else the default
   * context's: a thread of this process unless `setStartMethod('spawn')` was called) and
   * resolves once it listens. `initializer(...initargs)` runs in the server first (it may be
   * async). The server stops with `shutdown()`, and when this process exits.
   *
   * @example
   * ```ts
   * const manager = await new SyncManager().start();
   * ```
   */
  async start(initializer?: ((...args: never[]) => unknown) | null, initargs: readonly unknown[] = []): Promise<this> {
    if (this.#state !== 'initial') {
      if (this.#state === 'shutdown') throw new ProcessError('Manager has shut down: make a new manager to start another server');
      throw new ProcessError('Already started server');
    }
    if (initializer !== undefined && initializer !== null && typeof initializer !== 'function') throw new TypeError('initializer must be a callable');
    if (!Array.isArray(initargs)) throw new TypeError('initargs must be an array');
    this.#state = 'starting';
    try {
      const name = this.constructor.name;
      const specs = specsOf(registryOf(this.constructor));
      const report = await launchServer(this.#method, name, [specs, this.#address, this.#authkey, initializer ?? null, initargs], this.#shutdownTimeout, (p) => {
        this.#process = p;
      });
      this.#address = report.address;
      isolate.keyring.set(addressKey(report.address), this.#authkey);
      this.#channel = channelFor(report.address, this.#authkey);
      this.#state = 'started';
      return this;
    } catch (error) {
      this.#state = 'initial';
      if (this.#process?.isAlive()) this.#process.kill();
      this.#process = null;
      throw error;
    }
  }

  /**
   * Connects to a server already running at `address` (started by another process, maybe on
   * another machine). Rejects with AuthenticationError if the authkey is wrong.
   *
   * @example
   * ```ts
   * class QueueManager extends BaseManager {}
   * QueueManager.register('getQueue');
   * const m = await new QueueManager({ address: ['192.168.0.2', 50000], authkey: 'abracadabra' }).connect();
   * const queue = await (m as any).getQueue();
   * ```
   */
  async connect(): Promise<this> {
    if (this.#address === null) throw new ValueError('connect() needs the address of a running manager: new BaseManager({ address, authkey }).connect()');
    if (this.#state === 'shutdown') throw new ProcessError('Manager has shut down');
    const channel = channelFor(this.#address, this.#authkey);
    await channel.ready;
    isolate.keyring.set(addressKey(this.#address), this.#authkey);
    this.#channel = channel;
    if (this.#state === 'initial') this.#state = 'connected';
    return this;
  }

  /**
   * A server for this manager's types, to run in the current process:
   * `await manager.getServer().serveForever()` (Python's `get_server().serve_forever()`).
   * Registered callables then run here (no serialization: they may use local variables).
   *
   * @example
   * ```ts
   * const server = new MyManager({ address: ['', 50000], authkey: 'secret' }).getServer();
   * await server.serveForever();
   * ```
   */
  getServer(): Server {
    if (this.#state !== 'initial') throw new ProcessError(this.#state === 'shutdown' ? 'Manager has shut down' : 'Already started server');
    return new Server({ specs: specsOf(registryOf(this.constructor)), address: this.#address, authkey: this.#authkey });
  }

  #connection(): Channel {
    if (this.#channel === null || (this.#state !== 'started' && this.#state !== 'connected')) {
      if (this.#state === 'shutdown') throw new ProcessError(`Manager has shut down: its server at ${describeAddress(this.#address)} is gone`);
      throw new ProcessError('the manager is not started: call await manager.start(), or await manager.connect() to reach a running server');
    }
    return this.#channel;
  }

  /**
   * Creates a shared object of a registered type on the server and returns its proxy (what the
   * generated `manager[typeid](...)` methods call; typed by you: `_create<MyProxy>('Foo')`).
   *
   * @example
   * ```ts
   * const counter = await manager._create<CounterProxy>('Counter');
   * ```
   */
  async _create<P extends BaseProxy = BaseProxy>(typeid: string, ...args: unknown[]): Promise<P> {
    return (await this.#connection().call(MANAGER_OID, 'create', [typeid, args], registryOf(this.constructor))) as P;
  }

  /**
   * The number of shared objects alive on the server (Python's `_number_of_objects()`).
   *
   * @example
   * ```ts
   * console.log(await manager._numberOfObjects()); // 0
   * ```
   */
  async _numberOfObjects(): Promise<number> {
    return (await this.#connection().call(MANAGER_OID, 'numberOfObjects', [], null)) as number;
  }

  /**
   * A description of every shared object alive on the server, with its reference count
   * (Python's `_debug_info()`).
   *
   * @example
   * ```ts
   * console.log(await manager._debugInfo());
   * ```
   */
  async _debugInfo(): Promise<string> {
    return (await this.#connection().call(MANAGER_OID, 'debugInfo', [], null)) as string;
  }

  /**
   * Stops the server this manager started (its proxies stop working) and waits for its process
   * to exit (terminating it after `shutdownTimeout`). For a manager that only connected, this
   * forgets the connection and leaves the server running. Idempotent.
   *
   * @example
   * ```ts
   * await manager.shutdown();
   * ```
   */
  async shutdown(): Promise<void> {
    const state = this.#state;
    this.#state = 'shutdown';
    if (state !== 'started') return;
    const address = this.#address!;
    const channel = this.#channel;
    this.#channel = null;
    if (channel !== null && !channel.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        channel.call(MANAGER_OID, 'shutdown', [], null).catch(() => {}),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(this.#shutdownTimeout, 1000));
        }),
      ]);
      clearTimeout(timer);
    }
    closeChannelsTo(address);
    isolate.aliases.forEach((value, key) => {
      if (addressKey(value) === addressKey(address)) isolate.aliases.delete(key);
    });
    const process = this.#process;
    if (process !== null) {
      await process.join(this.#shutdownTimeout);
      if (process.isAlive()) {
        process.terminate();
        await process.join(this.#shutdownTimeout);
      }
      if (process.isAlive()) {
        process.kill();
        await process.join(5000);
      }
    }
  }

  /**
   * Waits for the server process to exit (Python's `join(timeout)`), in ms.
   *
   * @example
   * ```ts
   * await manager.shutdown();
   * await manager.join();
   * ```
   */
  async join(timeout?: number | null): Promise<void> {
    if (this.#process !== null && this.#process.exitCode === null) await this.#process.join(timeout);
  }

  /** `await using manager = await Manager()`: shuts it down. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /** `<SyncManager started at 127.0.0.1:50000>`: the class, its state and its server's address. */
  toString(): string {
    return `<${this.constructor.name} ${this.#state} at ${describeAddress(this.#address)}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
