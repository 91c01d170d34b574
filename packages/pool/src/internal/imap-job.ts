/**
 * The job behind `imap`/`imapUnordered`: reads its input lazily, a chunk at a time, keeping at
 * most `window` chunks read and not yet consumed (so an endless input works and memory stays
 * bounded), and hands results to the iterator in input order (imap) or as they come (unordered).
 *
 * Python's behaviour is kept: an error thrown by the input takes the place of the chunk being
 * read (the items read for that chunk are lost), after the chunks before it; an error in a chunk
 * is raised when the iterator reaches it, and iteration can go on after it.
 */
import { reportCallbackError } from '../async-result.js';
import type { CheckedOptions } from '../options.js';
import type { Dispatcher } from './dispatcher.js';
import type { FnEntry } from './fn-table.js';
import { SignalledJob } from './jobs.js';
import { KIND_MAP, type Kind } from './protocol.js';
import type { Task } from './task.js';

interface Outcome {
  readonly ok: boolean;
  /** The chunk's results, or its error. */
  readonly value: unknown;
  readonly size: number;
  /** The input itself failed here: nothing comes after this. */
  readonly last: boolean;
}

interface Waiter {
  resolve(result: IteratorResult<unknown, undefined>): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<unknown, undefined> = { done: true, value: undefined };

export class IMapJob extends SignalledJob {
  readonly #ordered: boolean;
  readonly #chunksize: number;
  readonly #fn: FnEntry;
  readonly #star: boolean;
  readonly #onFinish: (job: IMapJob) => void;
  #window: number;
  #input: Iterator<unknown> | AsyncIterator<unknown> | null;
  readonly #async: boolean;
  #reading = false;
  #exhausted = false;
  #read = 0;
  /** Chunks read and not yet consumed (including one that holds an input error). */
  #outstanding = 0;
  /** Ordered: outcomes by the input index of their first item; unordered: outcomes in arrival order. */
  readonly #slots = new Map<number, Outcome>();
  readonly #arrived: Outcome[] = [];
  #next = 0;
  #buffer: unknown[] = [];
  #bufferAt = 0;
  #itemsDone = 0;
  /** An error that ends the iteration (abort, terminate), or null. */
  #fatal: { error: unknown } | null = null;
  readonly #waiters: Waiter[] = [];
  #delivering = false;

  constructor(
    kind: Kind,
    options: CheckedOptions,
    dispatcher: Dispatcher,
    fn: FnEntry,
    input: Iterable<unknown> | AsyncIterable<unknown>,
    chunksize: number,
    ordered: boolean,
    window: number,
    onFinish: (job: IMapJob) => void,
  ) {
    super(kind, options, dispatcher);
    this.#fn = fn;
    this.#star = kind !== KIND_MAP;
    this.#chunksize = chunksize;
    this.#ordered = ordered;
    this.#window = window;
    this.#onFinish = onFinish;
    const asyncInput = typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
    this.#async = asyncInput;
    this.#input = null;
    try {
      this.#input = asyncInput ? (input as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (input as Iterable<unknown>)[Symbol.iterator]();
    } catch (error) {
      this.#inputFailed(error);
    }
  }

  /** True while input remains to be read. */
  get feeding(): boolean {
    return !this.#exhausted && !this.finished;
  }

  /** After the pool is closed: read the rest of the input now (Python's imap reads it all). */
  eager(): void {
    this.#window = Infinity;
    this.pump();
  }

  /** Reads and submits chunks while the window has room. */
  pump(): void {
    if (this.#reading || this.#exhausted || this.finished || this.#input === null) return;
    if (this.#async) {
      void this.#pumpAsync();
      return;
    }
    const input = this.#input as Iterator<unknown>;
    while (this.#outstanding < this.#window && !this.#exhausted) {
      const chunk: unknown[] = [];
      try {
        while (chunk.length < this.#chunksize) {
          const r = input.next();
          if (r.done === true) {
            this.#exhausted = true;
            break;
          }
          chunk.push(r.value);
        }
      } catch (error) {
        this.#inputFailed(error);
        return;
      }
      if (chunk.length > 0) this.#submitChunk(chunk);
    }
    if (this.#exhausted) this.#endOfInput();
  }

  async #pumpAsync(): Promise<void> {
    this.#reading = true;
    const input = this.#input as AsyncIterator<unknown>;
    try {
      while (this.#outstanding < this.#window && !this.#exhausted && !this.finished) {
        const chunk: unknown[] = [];
        while (chunk.length < this.#chunksize) {
          const r = await input.next();
          if (r.done === true) {
            this.#exhausted = true;
            break;
          }
          chunk.push(r.value);
        }
        if (chunk.length > 0 && !this.finished) this.#submitChunk(chunk);
      }
      if (this.#exhausted) this.#endOfInput();
    } catch (error) {
      this.#inputFailed(error);
    } finally {
      this.#reading = false;
    }
  }

  #submitChunk(chunk: unknown[]): void {
    const payload = this.#star ? chunk.map((args) => (Array.isArray(args) ? args : Array.from(args as Iterable<unknown>))) : chunk;
    this.#outstanding++;
    this.submit(this.#fn, payload, this.#read, chunk.length);
    this.#read += chunk.length;
  }

  /** Called once the input is exhausted and its last chunk submitted. */
  #endOfInput(): void {
    this.#onFinish(this);
    this.#deliver();
  }

  #inputFailed(error: unknown): void {
    if (this.finished) return;
    this.#exhausted = true;
    this.#outstanding++;
    this.#store(this.#read, { ok: false, value: error, size: 0, last: true });
    this.#onFinish(this);
  }

  #store(index: number, outcome: Outcome): void {
    if (this.#ordered) this.#slots.set(index, outcome);
    else this.#arrived.push(outcome);
    this.#deliver();
  }

  done(task: Task, value: unknown): void {
    if (this.finished) return;
    this.#itemsDone += task.size;
    const progress = this.options.onProgress;
    if (progress !== null) {
      try {
        progress(this.#itemsDone, this.#exhausted ? this.#read : undefined);
      } catch (error) {
        reportCallbackError('onProgress', error);
      }
    }
    this.#store(task.index, { ok: true, value, size: task.size, last: false });
  }

  failed(task: Task | null, error: unknown): void {
    if (this.finished) return;
    if (task === null) this.stop({ error });
    else this.#store(task.index, { ok: false, value: error, size: task.size, last: false });
  }

  /** Ends the iteration: with an error for every pending and later `next()`, or cleanly. */
  stop(fatal: { error: unknown } | null): void {
    if (this.finished) return;
    this.#fatal = fatal;
    this.finish();
    this.#onFinish(this);
    const input = this.#input;
    this.#input = null;
    if (!this.#exhausted) {
      this.#exhausted = true;
      try {
        void Promise.resolve(input?.return?.()).catch(() => {});
      } catch {
        // the input's own cleanup failed: nothing to do
      }
    }
    for (const waiter of this.#waiters.splice(0)) {
      if (fatal !== null) waiter.reject(fatal.error);
      else waiter.resolve(DONE);
    }
  }

  /** The next outcome for the consumer, or undefined if none is ready. */
  #take(): { ok: boolean; value: unknown } | 'done' | undefined {
    if (this.#bufferAt < this.#buffer.length) {
      const value = this.#buffer[this.#bufferAt];
      this.#buffer[this.#bufferAt++] = undefined;
      return { ok: true, value };
    }
    if (this.#fatal !== null) return { ok: false, value: this.#fatal.error };
    let outcome: Outcome | undefined;
    if (this.#ordered) {
      outcome = this.#slots.get(this.#next);
      if (outcome !== undefined) {
        this.#slots.delete(this.#next);
        this.#next += outcome.size;
      }
    } else outcome = this.#arrived.shift();
    if (outcome === undefined) {
      if (!this.#exhausted || this.#outstanding > 0 || this.#reading) return undefined;
      if (this.finish()) this.#onFinish(this);
      return 'done';
    }
    this.#outstanding--;
    if (!outcome.last) this.pump();
    if (!outcome.ok) return { ok: false, value: outcome.value };
    this.#buffer = outcome.value as unknown[];
    this.#bufferAt = 0;
    return this.#take();
  }

  /** Serves waiting consumers. Not reentrant: taking a result may read input, which may call it again. */
  #deliver(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      while (this.#waiters.length > 0) {
        const next = this.#take();
        if (next === undefined) return;
        const waiter = this.#waiters.shift()!;
        if (next === 'done') waiter.resolve(DONE);
        else if (next.ok) waiter.resolve({ done: false, value: next.value });
        else waiter.reject(next.value);
      }
    } finally {
      this.#delivering = false;
    }
  }

  /**
   * The consumer's `next()`: resolves with the next result, or rejects with its error; with
   * `timeout` (ms), rejects with `onTimeout()` if nothing is ready by then (nothing is lost).
   */
  next(timeout: number | null, onTimeout: () => unknown): Promise<IteratorResult<unknown, undefined>> {
    const next = this.#waiters.length === 0 ? this.#take() : undefined;
    if (next === 'done') return Promise.resolve(DONE);
    if (next !== undefined) return next.ok ? Promise.resolve({ done: false, value: next.value }) : Promise.reject(next.value);
    if (this.finished && this.#fatal === null && this.#bufferAt >= this.#buffer.length) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      if (timeout === null) {
        this.#waiters.push({ resolve, reject });
        return;
      }
      const waiter: Waiter = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(onTimeout());
      }, timeout);
      this.#waiters.push(waiter);
    });
  }
}
