/**
 * The worker side of a pool: receives batches of ops, runs tasks one at a time in the order
 * received, and sends answers back in batches (see protocol.ts for what is announced when, so
 * that the pool always knows which task was running if this worker dies).
 *
 * Answers are flushed when the local queue runs dry, every {@link FLUSH_EVERY} answers (so the
 * pool can refill this worker before it runs out), before awaiting an async task, and from the
 * process `exit` handler (thread workers, where that message still arrives).
 */
import v8 from 'node:v8';
import { decodeAsync, encode, type Sidecar } from '@mp/serialize/spi';
import { setCurrentTask, type TaskContext } from '../../task-context.js';
import {
  F_NOTIFY,
  F_SIGNAL,
  KIND_APPLY,
  KIND_MAP,
  OP_ABORT,
  OP_DROP_FN,
  OP_FN,
  OP_STOP,
  OP_TASK,
  R_ERROR,
  R_OK,
  R_RETIRE,
  R_SKIPPED,
  R_STATS,
  SLOT_RUNNING,
} from '../protocol.js';
import type { Incoming, Outgoing } from '../wire.js';
import { plainAnswers, reviveFunction, sendable } from './answers.js';
import type { WorkerChannel } from './channel.js';

const FLUSH_EVERY = 64;
type Fn = (this: TaskContext, ...args: unknown[]) => unknown;

interface LocalTask {
  wseq: number;
  kind: number;
  fn: Fn;
  payload: unknown;
  flags: number;
}

const idle: TaskContext = { signal: new AbortController().signal };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

export class WorkerLoop {
  readonly #channel: WorkerChannel;
  readonly #slot: Int32Array | null;
  readonly #shared: boolean;
  readonly #maxHeapMb: number | null;
  readonly #fns = new Map<number, Fn>();
  #queue: (LocalTask | undefined)[] = [];
  #head = 0;
  #answers: unknown[] = [];
  /** Tasks run since the last stats were sent, and when the first of them started. */
  #busyCount = 0;
  #busySince = 0;
  #draining = false;
  #stopping = false;
  #retired = false;
  #current: LocalTask | null = null;
  #controller: AbortController | null = null;
  readonly #skip = new Set<number>();
  #inbox: Promise<void> = Promise.resolve();
  readonly finished: Promise<void>;
  #finish!: () => void;

  constructor(channel: WorkerChannel, slot: Int32Array | null, maxHeapMb: number | null) {
    this.#channel = channel;
    this.#slot = slot;
    this.#shared = slot !== null;
    this.#maxHeapMb = maxHeapMb;
    this.finished = new Promise((resolve) => (this.#finish = resolve));
    process.on('exit', () => {
      const pending = this.#pending();
      if (pending !== null) channel.sendOnExit(pending);
    });
  }

  /** Queues a batch; batches are handled strictly in arrival order. */
  receive(batch: Incoming): void {
    this.#inbox = this.#inbox
      .then(() => this.#handle(batch))
      .catch((error: unknown) => {
        process.stderr.write(`pool worker: cannot go on: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(70);
      });
  }

  async #handle(batch: Incoming): Promise<void> {
    let ops: unknown[];
    if (batch.ops !== undefined) ops = batch.ops;
    else {
      try {
        ops = await decodeAsync<unknown[]>(batch.bytes!, batch.sidecar);
      } catch (error) {
        // Its tasks cannot even be read here (e.g. an argument's class does not compile): they fail.
        for (let k = 0; k < batch.count; k++) this.#answers.push(R_ERROR, batch.first + k, error);
        this.flush();
        return;
      }
    }
    for (let i = 0; i < ops.length; ) {
      switch (ops[i]) {
        case OP_FN: {
          const fnSidecar = ops[i + 3] as Sidecar | null;
          this.#fns.set(ops[i + 1] as number, await reviveFunction(ops[i + 2] as Uint8Array, fnSidecar ?? undefined));
          i += 4;
          break;
        }
        case OP_TASK:
          this.#queue.push({
            wseq: ops[i + 1] as number,
            kind: ops[i + 2] as number,
            fn: this.#fns.get(ops[i + 3] as number)!,
            payload: ops[i + 4],
            flags: ops[i + 5] as number,
          });
          i += 6;
          break;
        case OP_ABORT: {
          const wseq = ops[i + 1] as number;
          if (this.#current?.wseq === wseq) this.#controller?.abort();
          else this.#skip.add(wseq);
          i += 2;
          break;
        }
        case OP_STOP:
          this.#stopping = true;
          i += 1;
          break;
        case OP_DROP_FN:
          this.#fns.delete(ops[i + 1] as number);
          i += 2;
          break;
        default:
          throw new TypeError(`protocol error: unknown op ${String(ops[i])} from the pool`);
      }
    }
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#head < this.#queue.length) {
        const task = this.#queue[this.#head]!;
        this.#queue[this.#head++] = undefined;
        if (this.#skip.delete(task.wseq)) {
          this.#answers.push(R_SKIPPED, task.wseq);
          continue;
        }
        await this.#run(task);
        if (this.#answers.length >= 3 * FLUSH_EVERY) this.flush();
      }
      this.#queue = [];
      this.#head = 0;
    } finally {
      this.#draining = false;
    }
    this.#checkHeap();
    this.flush();
    if (this.#stopping && this.#head >= this.#queue.length) this.#finish();
  }

  async #run(task: LocalTask): Promise<void> {
    if (this.#slot === null) {
      this.#channel.start(task.wseq);
    } else {
      Atomics.store(this.#slot, SLOT_RUNNING, task.wseq | 0);
      if ((task.flags & F_NOTIFY) !== 0) this.#channel.start(task.wseq);
    }
    if (this.#busyCount === 0) this.#busySince = performance.now();
    const controller = (task.flags & F_SIGNAL) !== 0 ? new AbortController() : null;
    const context: TaskContext = controller === null ? idle : { signal: controller.signal };
    this.#current = task;
    this.#controller = controller;
    setCurrentTask(context);
    let ok = true;
    let value: unknown;
    try {
      value = this.#call(task, context);
      if (isThenable(value)) {
        this.flush();
        value = await value;
      }
    } catch (error) {
      ok = false;
      value = error;
    }
    setCurrentTask(null);
    this.#current = null;
    this.#controller = null;
    if (this.#slot !== null) Atomics.store(this.#slot, SLOT_RUNNING, 0);
    this.#busyCount++;
    this.#answers.push(ok ? R_OK : R_ERROR, task.wseq, value);
  }

  #call(task: LocalTask, context: TaskContext): unknown {
    const { fn, payload } = task;
    if (task.kind === KIND_APPLY) return fn.apply(context, payload as unknown[]);
    const items = payload as unknown[];
    const star = task.kind !== KIND_MAP;
    const out: unknown[] = []; // pushed, not `new Array(n)`: a large one would be a slow dictionary array
    for (let i = 0; i < items.length; i++) {
      const r = star ? fn.apply(context, items[i] as unknown[]) : fn.call(context, items[i]);
      if (isThenable(r)) return this.#callAsync(fn, context, items, out, r, star);
      out.push(r);
    }
    return out;
  }

  /** A map chunk whose function is async: items run one after the other, as Python's map does. */
  async #callAsync(fn: Fn, context: TaskContext, items: unknown[], out: unknown[], first: PromiseLike<unknown>, star: boolean): Promise<unknown[]> {
    out.push(await first);
    for (let i = out.length; i < items.length; i++) {
      out.push(await (star ? fn.apply(context, items[i] as unknown[]) : fn.call(context, items[i])));
    }
    return out;
  }

  #checkHeap(): void {
    if (this.#maxHeapMb === null || this.#retired) return;
    if (v8.getHeapStatistics().used_heap_size / 2 ** 20 > this.#maxHeapMb) {
      this.#retired = true;
      this.#answers.push(R_RETIRE);
    }
  }

  /** The unsent answers (with the timing stats), ready to send, or null if there are none. */
  #pending(): Outgoing | null {
    if (this.#answers.length === 0) return null;
    const answers = this.#answers;
    this.#answers = [];
    if (this.#busyCount > 0) {
      answers.push(R_STATS, this.#busyCount, performance.now() - this.#busySince);
      this.#busyCount = 0;
    }
    if (plainAnswers(answers)) return { plain: answers };
    try {
      return encode(answers, { root: 'results', sidecar: this.#shared });
    } catch {
      return encode(sendable(answers, this.#shared), { root: 'results', sidecar: this.#shared });
    }
  }

  flush(): void {
    const pending = this.#pending();
    if (pending !== null) this.#channel.send(pending);
  }


}
