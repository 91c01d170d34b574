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

  /**
   * A map chunk may instead name its items in the job's input (`source`, from `index`, `size`
   * of them): they are sliced only when sent, so the copy dies young instead of living (and being
   * promoted by the GC) for as long as the task. `plain` is then known for the whole input.
   */
  source: readonly unknown[] | null = null;
  plain: boolean | null = null;

  constructor(
    readonly job: Job,
    readonly fn: FnEntry,
    /** The arguments (apply) or the items of the chunk (starmap, imap), or null (see `source`); dropped once settled. */
    public payload: unknown,
    readonly index: number,
    readonly size: number,
    readonly flags: number,
  ) {}

  /** What the worker receives: the payload, or the chunk sliced from the source. */
  items(): unknown {
    return this.source !== null ? this.source.slice(this.index, this.index + this.size) : this.payload;
  }

  /** Which task this is, for errors. */
  info(): { kind: 'apply' | 'map' | 'starmap'; index: number; size: number } {
    const kind = this.job.kind === KIND_APPLY ? 'apply' : this.job.kind === KIND_MAP ? 'map' : 'starmap';
    return { kind, index: this.index, size: this.size };
  }
}
