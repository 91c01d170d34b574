/** The `thread` start method: a worker thread with its own V8 isolate. */
import type { MessagePort, Worker } from 'node:worker_threads';
import { linkThread } from '../broker/launch.js';
import { workerThreadsModule } from '../lazy.js';
import { runtime } from '../runtime.js';
import { entryUrl, type Popen, type PopenOptions } from './popen.js';
import { takeSpareWorker } from './spare-worker.js';

/** Messages a thread child posts to its parent. */
export type ThreadChildMessage = { t: 'started' } | { t: 'stderr'; text: string };

export class ThreadPopen implements Popen {
  readonly pid = process.pid;
  readonly started: Promise<void>;
  readonly exited: Promise<number>;
  #exitCode: number | null = null;
  #forced: number | null = null;
  readonly #worker: Worker;

  constructor(options: PopenOptions) {
    const rt = runtime();
    const { payload } = options;
    for (const item of options.transfer) {
      if (!(item instanceof globalThis.MessagePort)) {
        throw new TypeError(
          `cannot send ${item.constructor.name} to a thread child: only MessagePorts can move to a worker thread. ` +
            `A Pipe made for the 'spawn' start method cannot be used by a 'thread' child; make it with the child's context (ctx.Pipe()).`,
        );
      }
    }
    const linked = rt.root !== null ? linkThread() : null;
    const boot = { payload, link: linked?.link ?? null };
    const transferList = [...(linked?.transfer ?? []), ...(options.transfer as MessagePort[])];
    const spare = takeSpareWorker();
    if (spare !== null) {
      spare.ref();
      spare.postMessage({ ...boot, env: { ...process.env } }, transferList);
    }
    this.#worker = spare ?? new (workerThreadsModule().Worker)(entryUrl('child'), { workerData: boot, transferList, name: options.name });
    const worker = this.#worker;
    this.started = new Promise((resolve, reject) => {
      if (spare !== null) return resolve(); // already online
      worker.once('online', () => resolve());
      worker.once('exit', () => resolve());
      worker.once('error', (error) => reject(error));
    });
    this.started.catch(() => {});
    worker.on('message', (message: ThreadChildMessage) => {
      if (message.t === 'stderr') options.onStderr(message.text);
    });
    worker.on('error', (error: unknown) => {
      // An error outside the bootstrap's own handling (e.g. thrown from a timer after run()).
      options.onStderr(`Process ${options.name}:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#exitCode = this.#forced ?? code;
        resolve(this.#exitCode);
      });
    });
  }

  get exitCode(): number | null {
    return this.#exitCode;
  }

  terminate(): void {
    this.#stop(-15);
  }

  kill(): void {
    this.#stop(-9);
  }

  #stop(code: number): void {
    if (this.#exitCode !== null) return;
    this.#forced ??= code;
    void this.#worker.terminate();
  }

  unref(): void {
    this.#worker.unref();
  }
}
