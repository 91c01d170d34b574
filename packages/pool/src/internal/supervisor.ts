/**
 * The workers of a pool: starting them (Processes of the pool's context whose target is
 * entry/worker.js), wiring their channels, noticing their death at once (process exit, channel
 * end), replacing them, recycling them (task count, heap, idleness), and stopping them.
 *
 * A crash loop does not spin: a worker that dies before it ran its initializer counts as a
 * startup failure; restarts after failures back off, and {@link MAX_STARTUP_FAILURES} in a row
 * break the pool (its tasks fail with a WorkerDiedError that says why, and nothing is left
 * running). A worker whose `start()` itself fails breaks the pool at once with that error.
 */
import { WorkerDiedError } from '../errors.js';
import { Dispatcher, type DispatcherHost } from './dispatcher.js';
import { type LaunchHost, Launcher, type LaunchOptions } from './launcher.js';
import type { WorkerHandle } from './worker-handle.js';

const MAX_STARTUP_FAILURES = 3;

export interface SupervisorOptions extends LaunchOptions {
  readonly processes: number;
  readonly maxTasksPerChild: number | null;
  readonly idleTimeout: number | null;
  readonly grace: number;
}

export type PoolState = 'RUN' | 'CLOSE' | 'TERMINATE';

export class Supervisor implements DispatcherHost, LaunchHost {
  readonly dispatcher: Dispatcher;
  readonly options: SupervisorOptions;
  state: PoolState = 'RUN';
  /** Why the pool cannot run tasks (its workers cannot start), or null. */
  broken: unknown = null;
  /** True while some imap job still has input to read (the pool must not stop its workers). */
  feeding: () => boolean = () => false;
  readonly #launcher: Launcher;
  #failures = 0;
  #restart: NodeJS.Timeout | null = null;
  readonly #joiners: (() => void)[] = [];

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.dispatcher = new Dispatcher(options.method, this, options.maxTasksPerChild, options.grace);
    this.#launcher = new Launcher(options, this);
    const started: WorkerHandle[] = [];
    try {
      for (let i = 0; i < options.processes; i++) started.push(this.#launcher.start());
    } catch (error) {
      // Python's Pool: a worker that cannot be started leaves no other worker behind.
      this.state = 'TERMINATE';
      for (const worker of started) this.#launcher.stop(worker);
      this.#cleanup();
      throw error;
    }
  }

  get workers(): readonly WorkerHandle[] {
    return this.dispatcher.workers;
  }

  gone(worker: WorkerHandle): void {
    if (worker.state === 'gone') return;
    const failedStart = worker.state === 'starting' && !worker.killed && this.state !== 'TERMINATE';
    worker.state = 'gone';
    const workers = this.dispatcher.workers;
    const at = workers.indexOf(worker);
    if (at >= 0) workers.splice(at, 1);
    this.#launcher.forget(worker);
    if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
    let exitCode: number | null = null;
    let pid: number | null = null;
    try {
      exitCode = worker.process.exitCode;
      pid = worker.process.pid;
    } catch {
      // a closed Process
    }
    this.dispatcher.workerGone(worker, exitCode, pid);
    if (failedStart && ++this.#failures >= MAX_STARTUP_FAILURES) {
      const init = worker.initError;
      const why =
        init !== undefined
          ? `their initializer throws ${init instanceof Error ? `${init.name}: ${init.message}` : String(init)}`
          : `the last one exited with code ${exitCode} (see its stderr above)`;
      this.#breakPool(
        new WorkerDiedError(`pool workers keep dying before they can run a task (${this.#failures} in a row): ${why}. The pool stopped starting workers; fix the cause and make a new Pool.`, {
          exitCode,
          signal: null,
          worker: worker.name,
          pid,
          task: null,
          cause: init,
        }),
      );
    }
    this.#maintain();
    this.#checkJoined();
  }

  /** Starts the workers that are missing (all `processes`, or only while work waits). */
  #maintain(): void {
    if (this.state === 'TERMINATE' || this.broken !== null || this.#restart !== null) return;
    const { processes, idleTimeout, maxTasksPerChild } = this.options;
    const waiting = this.dispatcher.queue.size > 0 || this.feeding();
    const wanted = this.state === 'RUN' && idleTimeout === null ? processes : waiting ? processes : 0;
    let live = 0;
    for (const w of this.dispatcher.workers) {
      const spent = maxTasksPerChild !== null && w.assigned >= maxTasksPerChild;
      if (!w.retire && !w.killed && !spent) live++;
    }
    if (live >= wanted) return;
    if (this.#failures > 0) {
      // back off after startup failures: 50 ms, 100 ms, ... (at most 1 s)
      this.#restart = setTimeout(() => {
        this.#restart = null;
        this.#startMissing(wanted);
      }, Math.min(1000, 25 * 2 ** this.#failures));
      this.#restart.unref();
      return;
    }
    this.#startMissing(wanted);
  }

  #startMissing(wanted: number): void {
    if (this.state === 'TERMINATE' || this.broken !== null) return;
    const { maxTasksPerChild } = this.options;
    let live = 0;
    for (const w of this.dispatcher.workers) {
      const spent = maxTasksPerChild !== null && w.assigned >= maxTasksPerChild;
      if (!w.retire && !w.killed && !spent) live++;
    }
    const n = this.#failures > 0 ? Math.min(1, wanted - live) : wanted - live;
    for (let i = 0; i < n; i++) {
      try {
        this.#launcher.start();
      } catch (error) {
        this.#breakPool(error);
        return;
      }
    }
  }

  /** The pool cannot run tasks: fail them all, stop every worker, refuse new work. */
  startFailed(error: unknown): void {
    this.#breakPool(error);
  }

  #breakPool(error: unknown): void {
    if (this.broken !== null || this.state === 'TERMINATE') return;
    this.broken = error;
    this.dispatcher.failAll(() => error);
    for (const worker of this.dispatcher.workers) this.#launcher.stop(worker);
    this.#onBroken?.(error);
    this.#checkJoined();
  }

  #onBroken: ((error: unknown) => void) | null = null;
  onBroken(listener: (error: unknown) => void): void {
    this.#onBroken = listener;
  }

  // ---- DispatcherHost ----

  needWorkers(): void {
    this.#maintain();
  }

  ready(worker: WorkerHandle): void {
    if (worker.state !== 'starting') return;
    worker.state = 'ready';
    this.#failures = 0;
    if (this.state !== 'RUN' && this.dispatcher.queue.size === 0 && !this.feeding()) this.idle(worker);
    else this.dispatcher.schedule();
  }

  retire(worker: WorkerHandle): void {
    if (worker.state === 'gone' || worker.state === 'retiring') return;
    worker.state = 'retiring';
    worker.retire = true;
    worker.stop();
    worker.flush(() => {});
    this.#maintain();
  }

  kill(worker: WorkerHandle): void {
    if (worker.killed || worker.state === 'gone') return;
    this.#launcher.stop(worker, true);
    this.#maintain();
  }

  drained(): void {
    this.finishIfDone();
  }

  idle(worker: WorkerHandle): void {
    if (this.state === 'CLOSE') {
      this.finishIfDone();
      return;
    }
    const ms = this.options.idleTimeout;
    if (ms === null || worker.idleTimer !== null) return;
    worker.idleTimer = setTimeout(() => {
      worker.idleTimer = null;
      if (worker.inflight.size === 0 && worker.state === 'ready') this.retire(worker);
    }, ms);
    worker.idleTimer.unref();
  }

  // ---- lifecycle ----

  /** After close(): once no work is left, tell every worker to stop. */
  finishIfDone(): void {
    if (this.state !== 'CLOSE' || this.dispatcher.active > 0 || this.feeding()) return;
    // Workers still starting run their initializer first (Python's do too), then stop when ready.
    for (const worker of this.dispatcher.workers) {
      if (worker.state === 'ready' && worker.inflight.size === 0) this.retire(worker);
    }
    this.#checkJoined();
  }

  close(): void {
    if (this.state !== 'RUN') return;
    this.state = 'CLOSE';
    this.finishIfDone();
  }

  /** Stops every worker now; resolves when they have all exited. */
  async terminate(error: () => unknown): Promise<void> {
    if (this.state !== 'TERMINATE') {
      this.state = 'TERMINATE';
      if (this.#restart !== null) clearTimeout(this.#restart);
      this.dispatcher.failAll(error);
      for (const worker of this.dispatcher.workers) this.#launcher.stop(worker);
    }
    await this.joined();
  }

  /** Resolves when the pool is closed or terminated and every worker has exited. */
  joined(): Promise<void> {
    if (this.#isJoined()) {
      this.#cleanup();
      return Promise.resolve();
    }
    const keepAlive = setInterval(() => {}, 2 ** 30);
    return new Promise<void>((resolve) => this.#joiners.push(resolve)).finally(() => clearInterval(keepAlive));
  }

  #isJoined(): boolean {
    return (this.state !== 'RUN' || this.broken !== null) && this.dispatcher.workers.length === 0 && (this.broken !== null || this.dispatcher.active === 0);
  }

  #checkJoined(): void {
    if (!this.#isJoined()) return;
    this.#cleanup();
    for (const resolve of this.#joiners.splice(0)) resolve();
  }

  #cleanup(): void {
    this.#launcher.close();
    if (this.state !== 'RUN' || this.broken !== null) this.dispatcher.dispose();
  }
}
