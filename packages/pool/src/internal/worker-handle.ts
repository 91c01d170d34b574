/**
 * The owner's record of one worker: its process, channel, the tasks it holds (in the order sent,
 * which is the order it runs them), and an outbox of ops coalesced into one batch per flush.
 */
import { encode } from '@mp/serialize/spi';
import type { FnEntry } from './fn-table.js';
import type { OwnerChannel } from './owner-channel.js';
import { isPlain } from './plain.js';
import { KIND_APPLY, OP_ABORT, OP_DROP_FN, OP_FN, OP_STOP, OP_TASK, SLOT_RUNNING } from './protocol.js';
import type { Task } from './task.js';

/**
 * A pool worker as `pool._pool` lists it: what the pool needs of a worker process (a real
 * `Process`, or a test double with the same shape).
 *
 * @example
 * ```ts
 * const workers: ProcessLike[] = pool._pool;
 * console.log(workers.map((w) => `${w.name} pid=${w.pid} alive=${w.isAlive()}`));
 * ```
 */
export interface ProcessLike {
  /** The worker's process name (`ThreadPoolWorker-3`, `SpawnPoolWorker-5`). */
  readonly name: string;
  /** Its pid (a `thread` worker reports its process's pid); null before it started. */
  readonly pid: number | null;
  /** Null while it runs; its exit code after (see `Process.exitCode`). */
  readonly exitCode: number | null;
  /** Starts the worker. */
  start(): unknown;
  /** True while the worker runs. */
  isAlive(): boolean;
  /** Stops it with SIGTERM (exit code -15). */
  terminate(): void;
  /** Stops it with SIGKILL (exit code -9). */
  kill(): void;
  /** Waits until it exits, or `timeout` ms. */
  join(timeout?: number | null): unknown;
}

export type WorkerState = 'starting' | 'ready' | 'retiring' | 'gone';

export class WorkerHandle {
  readonly id: number;
  readonly process: ProcessLike;
  readonly slot: Int32Array | null;
  readonly #shared: boolean;
  channel: OwnerChannel | null = null;
  state: WorkerState = 'starting';
  /** Tasks sent and not answered, by wseq, in the order sent. */
  readonly inflight = new Map<number, Task>();
  /** spawn: the task whose start frame came last and that has not answered. */
  running: Task | null = null;
  readonly fnSent = new Set<number>();
  nextWseq = 1;
  /** Tasks ever assigned (for maxTasksPerChild). */
  assigned = 0;
  exited = false;
  channelClosed = false;
  /** The worker asked to retire (heap limit), or was told to stop. */
  retire = false;
  /** Being killed by the pool (an aborted task overran its grace period, or terminate()). */
  killed = false;
  initError: unknown = undefined;
  idleTimer: NodeJS.Timeout | null = null;
  /** Set while an answer batch waits for a module to load: later events queue behind it. */
  lagging: Promise<void> | null = null;
  #ops: unknown[] = [];
  /** The tasks of the OP_TASK ops in #ops, in order. */
  #opTasks: Task[] = [];
  /** True while everything in #ops can travel as a plain batch (see plain.ts). */
  #plain = true;

  constructor(id: number, process: ProcessLike, slot: Int32Array | null, shared: boolean) {
    this.id = id;
    this.process = process;
    this.slot = slot;
    this.#shared = shared;
  }

  get name(): string {
    return this.process.name;
  }

  /** Puts `task` in the outbox (with its function, the first time this worker needs it). */
  assign(task: Task): void {
    const fn = task.fn;
    if (!this.fnSent.has(fn.id)) {
      this.fnSent.add(fn.id);
      this.#ops.push(OP_FN, fn.id, fn.bytes, fn.sidecar);
      if (fn.sidecar !== null) this.#plain = false;
    }
    const wseq = this.nextWseq++;
    task.wseq = wseq;
    task.worker = this;
    this.inflight.set(wseq, task);
    this.assigned++;
    const items = task.items();
    this.#ops.push(OP_TASK, wseq, task.job.kind, fn.id, items, task.flags);
    this.#opTasks.push(task);
    if (this.#plain && !(task.plain ?? isPlain(items))) this.#plain = false;
  }

  abort(task: Task): void {
    this.#ops.push(OP_ABORT, task.wseq);
  }

  drop(fn: FnEntry): void {
    if (this.fnSent.delete(fn.id)) this.#ops.push(OP_DROP_FN, fn.id);
  }

  stop(): void {
    this.#ops.push(OP_STOP);
  }

  /** The task that was running when the worker died, if the worker says so (thread slot). */
  slotTask(): Task | null {
    if (this.slot === null) return this.running;
    const running = Atomics.load(this.slot, SLOT_RUNNING);
    if (running === 0) return null;
    const task = this.inflight.get(running >>> 0);
    if (task !== undefined) return task;
    for (const t of this.inflight.values()) if ((t.wseq | 0) === running) return t;
    return null;
  }

  /**
   * Sends the outbox as one batch. Tasks whose payload cannot be serialized are taken out and
   * passed to `unsendable` (the others are sent).
   */
  flush(unsendable: (task: Task, error: unknown) => void): void {
    if (this.#ops.length === 0 || this.channel === null) return;
    const ops = this.#ops;
    const tasks = this.#opTasks;
    const plain = this.#plain;
    this.#ops = [];
    this.#opTasks = [];
    this.#plain = true;
    const first = tasks.length > 0 ? tasks[0]!.wseq : 0;
    const count = tasks.length === 0 ? 0 : this.nextWseq - first;
    if (plain) {
      this.channel.send({ plain: ops }, first, count);
      return;
    }
    let encoded;
    try {
      encoded = encode(ops, { root: 'tasks', sidecar: this.#shared });
    } catch {
      encoded = encode(this.#sendable(ops, tasks, unsendable), { root: 'tasks', sidecar: this.#shared });
    }
    this.channel.send(encoded, first, count);
  }

  /** `ops` without the tasks that cannot be encoded (found one by one: the slow path). */
  #sendable(ops: unknown[], tasks: Task[], unsendable: (task: Task, error: unknown) => void): unknown[] {
    const kept: unknown[] = [];
    let t = 0;
    for (let i = 0; i < ops.length; ) {
      const op = ops[i];
      const width = op === OP_FN ? 4 : op === OP_TASK ? 6 : op === OP_STOP ? 1 : 2;
      if (op === OP_TASK) {
        const task = tasks[t++]!;
        try {
          encode(ops[i + 4], { root: task.job.kind === KIND_APPLY ? 'args' : 'items', sidecar: this.#shared });
        } catch (error) {
          this.inflight.delete(task.wseq);
          task.worker = null;
          unsendable(task, error);
          i += width;
          continue;
        }
      }
      for (let k = 0; k < width; k++) kept.push(ops[i + k]);
      i += width;
    }
    return kept;
  }
}
