/**
 * The dispatcher: one queue of tasks in the owning process, handed to workers over their own
 * channels and answered back on them. No lock-step: a worker holds up to `depth` tasks (so it
 * never waits for a round trip between two tasks), tasks are dealt round-robin to the workers
 * with room, and what one tick submits goes out as one batch per worker.
 *
 * The depth adapts to the work: workers report how long their tasks take, and each may hold about
 * {@link TARGET_MS} of work (one task at a time for slow ones, up to {@link MAX_DEPTH} tiny ones),
 * so a burst of tiny tasks costs few messages, while slow tasks are never queued behind each other
 * on one worker when another is free (or about to start). Until the first report, one at a time.
 */
import { TimeoutError } from '@mp/connection';
import { MaybeEncodingError, withRemoteTraceback } from '../errors.js';
import { workerDied } from './death.js';
import { Deque } from './deque.js';
import { type FnEntry, FnTable } from './fn-table.js';
import { R_ERROR, R_INIT_ERROR, R_OK, R_READY, R_RETIRE, R_SKIPPED, R_STATS, R_UNSENDABLE } from './protocol.js';
import { ASSIGNED, QUEUED, RUNNING, type Task } from './task.js';
import type { WorkerHandle } from './worker-handle.js';

const TARGET_MS = 2;
const MIN_DEPTH = 1;
const MAX_DEPTH = 256;

/** What the dispatcher asks of whoever manages the workers. */
export interface DispatcherHost {
  /** Tasks are waiting: start workers if some are missing. */
  needWorkers(): void;
  /** The worker ran its initializer and takes tasks. */
  ready(worker: WorkerHandle): void;
  /** The worker holds nothing and will get nothing more (task limit, heap limit): stop it. */
  retire(worker: WorkerHandle): void;
  /** Kill the worker now (an aborted task did not stop within the grace period). */
  kill(worker: WorkerHandle): void;
  /** The worker holds nothing and nothing is queued. */
  idle(worker: WorkerHandle): void;
  /** No task is pending any more. */
  drained(): void;
}

export class Dispatcher {
  readonly queue = new Deque<Task>();
  readonly workers: WorkerHandle[] = [];
  readonly fns: FnTable;
  readonly #host: DispatcherHost;
  readonly #maxTasks: number | null;
  readonly #grace: number;
  readonly #keepAlive: NodeJS.Timeout;
  #depth = MIN_DEPTH;
  #taskMs = -1;
  #scheduled = false;
  /** Tasks submitted and not settled. */
  #active = 0;
  readonly #run = (): void => {
    this.#scheduled = false;
    this.dispatch();
  };
  readonly #unsendable = (task: Task, error: unknown): void => this.settle(task, false, error);

  constructor(method: 'thread' | 'spawn', host: DispatcherHost, maxTasks: number | null, grace: number) {
    this.#host = host;
    this.#maxTasks = maxTasks;
    this.#grace = grace;
    this.fns = new FnTable(method, (entry: FnEntry) => {
      for (const worker of this.workers) worker.drop(entry);
    });
    // One ref'd handle while tasks are pending; an idle pool lets the program exit.
    this.#keepAlive = setInterval(() => {}, 2 ** 30);
    this.#keepAlive.unref();
  }

  get active(): number {
    return this.#active;
  }

  submit(task: Task): void {
    if (this.#active++ === 0) this.#keepAlive.ref();
    this.queue.push(task);
    this.schedule();
  }

  /** Dispatch at the end of this tick (so that a burst of submissions becomes one batch). */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(this.#run);
  }

  #hasRoom(worker: WorkerHandle): boolean {
    return (
      worker.state === 'ready' &&
      !worker.retire &&
      !worker.killed &&
      worker.inflight.size < this.#depth &&
      (this.#maxTasks === null || worker.assigned < this.#maxTasks)
    );
  }

  /** The next task worth running (settled tasks and tasks of finished jobs are dropped). */
  #next(): Task | undefined {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      if (task.settled) continue;
      if (task.job.finished) {
        this.settle(task, false, undefined, true);
        continue;
      }
      return task;
    }
    return undefined;
  }

  dispatch(): void {
    const workers = this.workers;
    let progress = this.queue.size > 0;
    while (progress && this.queue.size > 0) {
      progress = false;
      for (const worker of workers) {
        if (!this.#hasRoom(worker)) continue;
        const task = this.#next();
        if (task === undefined) break;
        task.state = ASSIGNED;
        worker.assign(task);
        if (worker.idleTimer !== null) {
          clearTimeout(worker.idleTimer);
          worker.idleTimer = null;
        }
        progress = true;
      }
    }
    for (const worker of workers) worker.flush(this.#unsendable);
    if (this.queue.size > 0) this.#host.needWorkers();
  }

  /** Tells the job the task's outcome, once. `silent`: drop it without telling (its job is finished). */
  settle(task: Task, ok: boolean, value: unknown, silent = false): void {
    if (task.settled) return;
    task.settled = true;
    task.payload = null;
    task.source = null;
    task.job.tasks?.delete(task);
    if (--this.#active === 0) {
      this.#keepAlive.unref();
      queueMicrotask(() => {
        if (this.#active === 0) this.#host.drained();
      });
    }
    if (silent) return;
    if (ok) task.job.done(task, value);
    else task.job.failed(task, value);
  }

  /** A batch of answers from `worker`. */
  onBatch(worker: WorkerHandle, ops: unknown[]): void {
    for (let i = 0; i < ops.length; ) {
      switch (ops[i]) {
        case R_OK:
          this.#answer(worker, ops[i + 1] as number, true, ops[i + 2]);
          i += 3;
          break;
        case R_ERROR:
          this.#answer(worker, ops[i + 1] as number, false, withRemoteTraceback(ops[i + 2]));
          i += 3;
          break;
        case R_UNSENDABLE:
          this.#answer(worker, ops[i + 1] as number, false, new MaybeEncodingError(ops[i + 2], ops[i + 3]));
          i += 4;
          break;
        case R_SKIPPED:
          this.#answer(worker, ops[i + 1] as number, false, undefined);
          i += 2;
          break;
        case R_READY:
          this.#host.ready(worker);
          i += 1;
          break;
        case R_INIT_ERROR:
          worker.initError = ops[i + 1];
          i += 2;
          break;
        case R_RETIRE:
          worker.retire = true;
          i += 1;
          break;
        case R_STATS:
          this.#stats(ops[i + 1] as number, ops[i + 2] as number);
          i += 3;
          break;
        default:
          throw new TypeError(`protocol error: unknown answer ${String(ops[i])} from pool worker ${worker.name}`);
      }
    }
    this.#afterAnswers(worker);
  }

  #afterAnswers(worker: WorkerHandle): void {
    if (worker.inflight.size === 0 && worker.state === 'ready') {
      const spent = this.#maxTasks !== null && worker.assigned >= this.#maxTasks;
      if (spent || worker.retire) {
        this.#host.retire(worker);
        if (this.queue.size > 0) this.#host.needWorkers();
      } else if (this.queue.size === 0) this.#host.idle(worker);
    }
    if (this.queue.size > 0) this.dispatch();
  }

  /** Worker `worker` says task `wseq` started (spawn: every task; thread: tasks that asked). */
  onStart(worker: WorkerHandle, wseq32: number): void {
    // wseq < 2^32 in practice (a worker would need 4 billion tasks), so the low bits are the key
    let task = worker.inflight.get(wseq32 >>> 0);
    if (task === undefined) {
      for (const t of worker.inflight.values()) if (t.wseq >>> 0 === wseq32 >>> 0) task = t;
      if (task === undefined) return;
    }
    task.state = RUNNING;
    worker.running = task;
    if (task.aborted) this.#graceTimer(task, worker);
    else {
      const timeout = task.job.options.timeout;
      if (timeout !== null) {
        task.timer = setTimeout(() => {
          task.timer = null;
          this.abort(task, new TimeoutError(`the task ran longer than its timeout of ${timeout} ms (counted from when it started running); it was aborted`));
        }, timeout);
      }
    }
  }

  #answer(worker: WorkerHandle, wseq: number, ok: boolean, value: unknown): void {
    const task = worker.inflight.get(wseq);
    if (task === undefined) return;
    worker.inflight.delete(wseq);
    task.worker = null;
    if (worker.running === task) worker.running = null;
    if (task.timer !== null) {
      clearTimeout(task.timer);
      task.timer = null;
    }
    this.settle(task, ok, value);
  }

  #stats(count: number, ms: number): void {
    if (!(count > 0)) return;
    const per = Math.max(ms / count, 0.0005);
    this.#taskMs = this.#taskMs < 0 ? per : this.#taskMs * 0.7 + per * 0.3;
    this.#depth = Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, Math.ceil(TARGET_MS / this.#taskMs)));
  }

  /**
   * Aborts a task: its job is told `reason` now; a queued task never runs; a task a worker holds
   * is aborted there (its signal fires) and, if it is still running after the grace period, its
   * worker is killed.
   */
  abort(task: Task, reason: unknown): void {
    if (task.aborted) return;
    task.aborted = true;
    this.settle(task, false, reason);
    if (task.timer !== null) {
      clearTimeout(task.timer);
      task.timer = null;
    }
    const worker = task.worker as WorkerHandle | null;
    if (worker === null || task.state === QUEUED) return;
    worker.abort(task);
    worker.flush(this.#unsendable);
    if (task.state === RUNNING) this.#graceTimer(task, worker);
  }

  #graceTimer(task: Task, worker: WorkerHandle): void {
    if (task.timer !== null) clearTimeout(task.timer);
    task.timer = setTimeout(() => {
      task.timer = null;
      if (task.worker === worker && !worker.killed) this.#host.kill(worker);
    }, this.#grace);
    task.timer.unref();
  }

  /**
   * The worker is gone. The task it was running fails with WorkerDiedError; the tasks it held
   * but had not started go back to the front of the queue, in order.
   */
  workerGone(worker: WorkerHandle, exitCode: number | null, pid: number | null): void {
    const running = worker.state === 'starting' ? null : worker.slotTask();
    const requeue: Task[] = [];
    for (const task of worker.inflight.values()) {
      task.worker = null;
      if (task.timer !== null) {
        clearTimeout(task.timer);
        task.timer = null;
      }
      if (task === running || task.settled) continue;
      task.state = QUEUED;
      task.wseq = 0;
      requeue.push(task);
    }
    worker.inflight.clear();
    worker.running = null;
    for (let i = requeue.length - 1; i >= 0; i--) this.queue.unshift(requeue[i]!);
    if (running !== null && !running.settled) this.settle(running, false, workerDied(worker.name, exitCode, pid, running.info()));
    if (this.queue.size > 0) this.schedule();
  }

  /** Fails every queued task (terminate, or a pool whose workers cannot start). */
  failQueued(error: () => unknown): void {
    for (const task of this.queue.drain()) this.settle(task, false, error());
  }

  /** Fails every task, queued or held (terminate). */
  failAll(error: () => unknown): void {
    this.failQueued(error);
    for (const worker of this.workers) {
      for (const task of worker.inflight.values()) {
        if (task.timer !== null) clearTimeout(task.timer);
        task.timer = null;
        this.settle(task, false, error());
      }
    }
  }

  dispose(): void {
    clearInterval(this.#keepAlive);
  }
}
