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

  /** Submits one task of this job. */
  submit(fn: FnEntry, payload: unknown, index: number, size: number): Task {
    const task = new Task(this, fn, payload, index, size, taskFlags(this.options));
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
  #out: R[];
  #chunksLeft: number;
  #itemsDone = 0;

  constructor(result: AsyncResult<R[]>, kind: Kind, options: CheckedOptions, dispatcher: Dispatcher, length: number, chunks: number) {
    super(kind, options, dispatcher);
    this.result = result;
    this.#out = new Array<R>(length);
    this.#chunksLeft = chunks;
    if (chunks === 0 && this.finish()) this.result[kSettle](true, this.#out);
  }

  done(task: Task, value: unknown): void {
    if (this.finished) return;
    const items = value as R[];
    const out = this.#out;
    for (let i = 0; i < items.length; i++) out[task.index + i] = items[i]!;
    this.#itemsDone += items.length;
    const progress = this.options.onProgress;
    if (progress !== null) {
      try {
        progress(this.#itemsDone, out.length);
      } catch (error) {
        reportCallbackError('onProgress', error);
      }
    }
    if (--this.#chunksLeft === 0 && this.finish()) {
      this.#out = [];
      this.result[kSettle](true, out);
    }
  }

  failed(_task: Task | null, error: unknown): void {
    if (this.finish()) {
      this.#out = [];
      this.result[kSettle](false, error);
    }
  }
}
