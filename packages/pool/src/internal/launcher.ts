/**
 * Starting a pool worker and wiring it: a Process of the pool's context whose target is
 * entry/worker.js (by `ref()`, so nothing is sent by source), its channel (a MessagePort for
 * `thread`; for `spawn`, the pool's private Unix socket, which the worker connects to and
 * authenticates on), and the two signs of its death: the process exit and the channel's end. A
 * worker is gone once both have happened (or shortly after one of them, if the other never comes).
 */
import { MessageChannel } from 'node:worker_threads';
import type { BaseContext } from '@mp/context';
import { WAITABLE, type Waitable } from '@mp/connection/spi';
import { ref } from '@mp/serialize';
import { decode, decodeAsync, encode, type Sidecar } from '@mp/serialize/spi';
import type { Dispatcher } from './dispatcher.js';
import { type ChannelEvents, PortChannel, SocketChannel, WorkerServer } from './owner-channel.js';
import { SLOT_WORDS } from './protocol.js';
import type { Incoming } from './wire.js';
import { type ProcessLike, WorkerHandle } from './worker-handle.js';

export interface LaunchOptions {
  readonly method: 'thread' | 'spawn';
  /** Makes a worker Process (the context's `Process`). */
  readonly makeProcess: (options: { target: unknown; args: unknown[]; daemon: boolean }) => ProcessLike;
  readonly initializer: ((...args: never[]) => unknown) | null;
  readonly initargs: readonly unknown[];
  readonly maxHeapMb: number | null;
}

/** What the launcher reports to the supervisor. */
export interface LaunchHost {
  readonly dispatcher: Dispatcher;
  /** The worker's process has exited and its channel has ended. */
  gone(worker: WorkerHandle): void;
  /** The worker broke the protocol: kill it. */
  kill(worker: WorkerHandle): void;
  /** The worker's `start()` failed (asynchronously). */
  startFailed(error: unknown): void;
}

function entryUrl(): string {
  const here = new URL('.', import.meta.url);
  const dist = here.pathname.endsWith('/entry/') ? new URL('..', here) : here;
  return new URL('entry/worker.js', dist).href;
}
const WORKER_TARGET = ref(entryUrl(), 'runPoolWorker');

/** The context's Process factory, called with `new` (or as a function, for a factory that is not a class). */
export function processFactory(context: BaseContext): (options: { target: unknown; args: unknown[]; daemon: boolean }) => ProcessLike {
  const P = (context as { Process?: unknown }).Process;
  if (typeof P !== 'function') throw new TypeError('Pool context must have a Process factory (use getContext("thread") or getContext("spawn"))');
  return (options) => {
    try {
      return new (P as new (o: unknown) => ProcessLike)(options);
    } catch (error) {
      if (error instanceof TypeError && /not a constructor/.test(error.message)) return (P as (o: unknown) => ProcessLike)(options);
      throw error;
    }
  };
}

export class Launcher {
  readonly #options: LaunchOptions;
  readonly #host: LaunchHost;
  #server: WorkerServer | null = null;
  #nextId = 1;

  constructor(options: LaunchOptions, host: LaunchHost) {
    this.#options = options;
    this.#host = host;
  }

  /** Starts a worker and adds it to the dispatcher's workers. Throws if `start()` throws. */
  start(): WorkerHandle {
    const options = this.#options;
    const dispatcher = this.#host.dispatcher;
    const id = this.#nextId++;
    const thread = options.method === 'thread';
    const slot = thread ? new Int32Array(new SharedArrayBuffer(SLOT_WORDS * 4)) : null;
    const channel = thread ? new MessageChannel() : null;
    const server = thread ? null : (this.#server ??= new WorkerServer());
    let init: { bytes: Uint8Array; sidecar: Sidecar } | null = null;
    if (options.initializer !== null) {
      init = encode([options.initializer, options.initargs], { root: 'initializer', sidecar: thread ? true : { shared: false, transfer: true } });
    }
    const spec = {
      id,
      port: channel?.port2 ?? null,
      path: server?.path ?? null,
      authkey: server?.authkey ?? null,
      slot,
      init: init?.bytes ?? null,
      initSidecar: init?.sidecar ?? null,
      maxHeapMb: options.maxHeapMb,
    };
    const proc = options.makeProcess({ target: WORKER_TARGET, args: [spec], daemon: true });
    try {
      (proc as { name: string }).name = proc.name.replace(/^Process/, thread ? 'ThreadPoolWorker' : 'SpawnPoolWorker');
    } catch {
      // a Process-like object without a settable name
    }
    const worker = new WorkerHandle(id, proc, slot, thread);
    if (channel !== null) {
      worker.channel = new PortChannel(channel.port1, this.#events(worker));
    } else {
      server!.expect(id, (framed) => {
        if (worker.state === 'gone' || worker.killed) {
          framed.close();
          return;
        }
        const socket = new SocketChannel(framed);
        worker.channel = socket;
        socket.listen(this.#events(worker));
      });
    }
    dispatcher.workers.push(worker);
    let started: unknown;
    try {
      started = proc.start();
    } catch (error) {
      dispatcher.workers.splice(dispatcher.workers.indexOf(worker), 1);
      channel?.port1.close();
      throw error;
    }
    Promise.resolve(started).then(
      () => this.#watchExit(worker),
      (error: unknown) => {
        this.#watchExit(worker);
        this.#host.startFailed(error);
      },
    );
    return worker;
  }

  /** A spawn worker that is gone will not connect any more. */
  forget(worker: WorkerHandle): void {
    this.#server?.forget(worker.id);
  }

  /** Closes the Unix socket (and removes its directory). */
  close(): void {
    this.#server?.close();
  }

  #events(worker: WorkerHandle): ChannelEvents {
    return {
      batch: (batch) => this.#onBatch(worker, batch),
      start: (wseq) => {
        if (worker.lagging !== null) worker.lagging = worker.lagging.then(() => this.#host.dispatcher.onStart(worker, wseq));
        else this.#host.dispatcher.onStart(worker, wseq);
      },
      close: () => {
        worker.channelClosed = true;
        this.#maybeGone(worker);
      },
    };
  }

  /** Answers are handled in order; a batch that needs a module not loaded here waits for it (and so does what follows). */
  #onBatch(worker: WorkerHandle, batch: Incoming): void {
    const handle = (ops: unknown[]): void => {
      try {
        this.#host.dispatcher.onBatch(worker, ops);
      } catch {
        this.#host.kill(worker);
      }
    };
    const { bytes, sidecar } = batch;
    if (worker.lagging !== null) {
      worker.lagging = worker.lagging.then(() => (bytes === undefined ? handle(batch.ops!) : decodeAsync<unknown[]>(bytes, sidecar).then(handle, () => this.#host.kill(worker))));
      return;
    }
    if (bytes === undefined) {
      handle(batch.ops!);
      return;
    }
    let ops: unknown[];
    try {
      ops = decode<unknown[]>(bytes, sidecar);
    } catch {
      const lag: Promise<void> = decodeAsync<unknown[]>(bytes, sidecar)
        .then(handle, () => this.#host.kill(worker))
        .finally(() => {
          if (worker.lagging === lag) worker.lagging = null;
        });
      worker.lagging = lag;
      return;
    }
    handle(ops);
  }

  #watchExit(worker: WorkerHandle): void {
    const sentinel = (worker.process as { sentinel?: Waitable }).sentinel;
    if (sentinel === undefined || typeof sentinel[WAITABLE] !== 'function') return;
    sentinel[WAITABLE]().subscribe(() => {
      worker.exited = true;
      this.#maybeGone(worker);
    });
  }

  /** Gone once both the process has exited and its channel has ended (or soon after one of them). */
  #maybeGone(worker: WorkerHandle): void {
    if (worker.state === 'gone') return;
    const channelDone = worker.channelClosed || worker.channel === null;
    if (worker.exited && channelDone) {
      if (worker.lagging !== null) void worker.lagging.then(() => this.#host.gone(worker));
      else this.#host.gone(worker);
    } else if (worker.exited) {
      setTimeout(() => {
        worker.channelClosed = true;
        this.#maybeGone(worker);
      }, 1000).unref();
    } else if (channelDone) {
      setTimeout(() => {
        if (!worker.exited) this.stop(worker, true);
      }, 2000).unref();
    }
  }

  /** Stops a worker's process (terminate, or kill); a terminated one that lingers is killed 3 s later. */
  stop(worker: WorkerHandle, kill = false): void {
    worker.killed = true;
    try {
      if (kill) worker.process.kill();
      else worker.process.terminate();
    } catch {
      // never started
    }
    const sentinel = (worker.process as { sentinel?: unknown }).sentinel;
    if (sentinel === undefined) {
      // A Process-like object we cannot watch: it is gone when its join() says so.
      void Promise.resolve(worker.process.join()).finally(() => {
        worker.exited = true;
        worker.channelClosed = true;
        this.#host.gone(worker);
      });
    } else if (!kill) {
      // terminate() is a request: kill what has not exited 3 s later
      setTimeout(() => {
        if (!worker.exited) {
          try {
            worker.process.kill();
          } catch {
            // gone meanwhile
          }
        }
      }, 3000).unref();
    }
  }
}
