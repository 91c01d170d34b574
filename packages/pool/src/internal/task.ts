/**
 * Tasks and jobs. A job is what one call submits (`apply`: one task; `map`: one task per chunk;
 * `imap`: chunks read lazily); a task is the unit a worker runs and the unit of failure.
 *
 * A task moves QUEUED → ASSIGNED (sent to a worker) → RUNNING (the worker said it started) →
 * done. Independently, `settled` says its job has been told the outcome (exactly once: a result,
 * an error, an abort or a death), and `worker` says a worker still holds it (an aborted task stays
 * held until its worker answers or is killed).
 */
import type { CheckedOptions } from '../options.js';
import type { FnEntry } from './fn-table.js';
import { KIND_APPLY, KIND_MAP, type Kind } from './protocol.js';

export const QUEUED = 0;
export const ASSIGNED = 1;
export const RUNNING = 2;

/** What a job does with the outcomes of its tasks. */
export interface Job {
  readonly kind: Kind;
  readonly options: CheckedOptions;
  /** True once the job has its outcome: its queued tasks need not run. */
  readonly finished: boolean;
  /** Its unsettled tasks, if it keeps them (the dispatcher removes each one as it settles). */
  readonly tasks: Set<Task> | null;
  done(task: Task, value: unknown): void;
  failed(task: Task, error: unknown): void;
}

/** A worker, as far as a task needs to know it. */
export interface TaskHolder {
  readonly name: string;
}

export class Task {
  state: typeof QUEUED | typeof ASSIGNED | typeof RUNNING = QUEUED;
  settled = false;
  /** Per-worker sequence number while assigned. */
  wseq = 0;
  worker: TaskHolder | null = null;
  /** The timeout timer (from the start marker), then the abort grace timer. */
  timer: NodeJS.Timeout | null = null;
  /** Set when the task was aborted (its job already rejected); the worker may still run it. */
  aborted = false;

  constructor(
    readonly job: Job,
    readonly fn: FnEntry,
    /** The arguments (apply) or the items of the chunk (map, starmap); dropped once sent. */
    public payload: unknown,
    readonly index: number,
    readonly size: number,
    readonly flags: number,
  ) {}

  /** Which task this is, for errors. */
  info(): { kind: 'apply' | 'map' | 'starmap'; index: number; size: number } {
    const kind = this.job.kind === KIND_APPLY ? 'apply' : this.job.kind === KIND_MAP ? 'map' : 'starmap';
    return { kind, index: this.index, size: this.size };
  }
}
