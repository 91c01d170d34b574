/**
 * The jobs of `apply*` and `map*`: they gather the outcomes of their tasks into one AsyncResult.
 * A map fails at its first failed chunk (Python's fail-fast), and its chunks still queued are then
 * dropped; chunks already running finish (their results are discarded).
 */
import { type AsyncResult, kSettle, reportCallbackError } from '../async-result.js';
import type { CheckedOptions } from '../options.js';
import type { Dispatcher } from './dispatcher.js';
import type { FnEntry } from './fn-table.js';
import { F_NOTIFY, F_SIGNAL, type Kind } from './protocol.js';
import { type Job, Task } from './task.js';

/** Flags of the tasks of a call with these options: cancellable tasks announce their start and get their own signal. */
export function taskFlags(options: CheckedOptions): number {
  return options.timeout !== null || options.signal !== null ? F_NOTIFY | F_SIGNAL : 0;
}

/** A job that follows its call's AbortSignal: aborting it aborts every task not yet settled. */
export abstract class SignalledJob implements Job {
  finished = false;
  /** Its tasks not yet settled, when it follows a signal (so that an abort reaches them). */
  readonly tasks: Set<Task> | null;
  readonly #dispatcher: Dispatcher;
  readonly #onAbort: (() => void) | null = null;

  constructor(
    readonly kind: Kind,
    readonly options: CheckedOptions,
    dispatcher: Dispatcher,
  ) {
    this.#dispatcher = dispatcher;
    const signal = options.signal;
    this.tasks = signal !== null ? new Set() : null;
    if (signal !== null) {
      this.#onAbort = () => this.abort(signal.reason);
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Submits one task of this job; with `source`, its items are `source[index .. index + size - 1]`. */
  submit(fn: FnEntry, payload: unknown, index: number, size: number, source: readonly unknown[] | null = null, plain: boolean | null = null): Task {
    const task = new Task(this, fn, payload, index, size, taskFlags(this.options));
    task.source = source;
    task.plain = plain;
    this.tasks?.add(task);
    this.#dispatcher.submit(task);
    return task;
  }

  abort(reason: unknown): void {
    if (this.finished) return;
    const tasks = this.tasks === null ? [] : [...this.tasks];
    this.failed(null, reason);
    for (const task of tasks) if (!task.aborted) this.#dispatcher.abort(task, reason);
  }

  /** Marks the job finished and stops following its signal. */
  protected finish(): boolean {
    if (this.finished) return false;
    this.finished = true;
    if (this.#onAbort !== null) this.options.signal?.removeEventListener('abort', this.#onAbort);
    this.tasks?.clear();
    return true;
  }

  abstract done(task: Task, value: unknown): void;
  abstract failed(task: Task | null, error: unknown): void;
}

export class ApplyJob<R> extends SignalledJob {
  readonly result: AsyncResult<R>;

  constructor(result: AsyncResult<R>, kind: Kind, options: CheckedOptions, dispatcher: Dispatcher) {
    super(kind, options, dispatcher);
    this.result = result;
  }

  done(_task: Task, value: unknown): void {
    if (this.finish()) this.result[kSettle](true, value);
  }

  failed(_task: Task | null, error: unknown): void {
    if (this.finish()) this.result[kSettle](false, error);
  }
}

export class MapJob<R> extends SignalledJob {
  readonly result: AsyncResult<R[]>;
  readonly #chunksize: number;
  /** Results by chunk: joined once at the end (a `new Array(100_000)` filled by index is a slow dictionary array in V8). */
  #chunks: R[][];
  #chunksLeft: number;
  #itemsDone = 0;
  readonly #length: number;

  constructor(result: AsyncResult<R[]>, kind: Kind, options: CheckedOptions, dispatcher: Dispatcher, length: number, chunksize: number) {
    super(kind, options, dispatcher);
    this.result = result;
    this.#length = length;
    this.#chunksize = Math.max(1, chunksize);
    this.#chunksLeft = length === 0 ? 0 : Math.ceil(length / this.#chunksize);
    this.#chunks = new Array<R[]>(this.#chunksLeft);
    if (this.#chunksLeft === 0 && this.finish()) this.result[kSettle](true, []);
  }

  done(task: Task, value: unknown): void {
    if (this.finished) return;
    const items = value as R[];
    this.#chunks[Math.floor(task.index / this.#chunksize)] = items;
    this.#itemsDone += items.length;
    const progress = this.options.onProgress;
    if (progress !== null) {
      try {
        progress(this.#itemsDone, this.#length);
      } catch (error) {
        reportCallbackError('onProgress', error);
      }
    }
    if (--this.#chunksLeft === 0 && this.finish()) {
      const chunks = this.#chunks;
      this.#chunks = [];
      let out: R[];
      if (chunks.length === 1) out = chunks[0]!;
      else if (chunks.length <= 4096) out = ([] as R[]).concat(...chunks); // native, ~10× a push loop
      else {
        out = [];
        for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out.push(chunk[i]!);
      }
      this.result[kSettle](true, out);
    }
  }

  failed(_task: Task | null, error: unknown): void {
    if (this.finish()) {
      this.#chunks = [];
      this.result[kSettle](false, error);
    }
  }
}
