/**
 * Event over one word FLAG (see layout.ts): 1 = set. `set()` stores 1 and wakes every sleeper;
 * waiters sleep on FLAG while it is 0 (re-checking every SLICE_MS, so a waiter served by the
 * broker for a process that died stops). No owner, so nothing to recover when a process dies.
 */
import {
  callerSignal,
  createHandle,
  Deadline,
  type Handle,
  registerSharedClass,
  type RemoteHandle,
  type SharedKind,
  takeAttaching,
  withAttaching,
} from '@mp/context/spi';
import { type Algorithm, runAsync, runSync, waitFor } from './internal/drive.js';
import { E_FLAG, EVENT_WORDS, SLICE_MS } from './internal/layout.js';
import { FALSE, TRUE } from './internal/lock-base.js';
import { callSync, defineBrokerOps, mayWait, reprId, send, wireTimeout } from './internal/remote.js';

type EventMeta = Record<string, never>;

const KIND: SharedKind<EventMeta> = { kind: 'sync.Event', module: import.meta.url, byteLength: () => EVENT_WORDS * 4 };

let handleOf!: (e: Event) => Handle<EventMeta>;

function* eventWait(w: Int32Array, deadline: Deadline): Algorithm<boolean> {
  for (;;) {
    if (Atomics.load(w, E_FLAG) !== 0) return true;
    if (deadline.expired()) return false;
    yield waitFor(w, E_FLAG, 0, deadline.slice(SLICE_MS));
  }
}

/**
 * A flag that processes can wait for (Python's `multiprocessing.Event`): `set()` wakes every
 * waiter, `clear()` resets it, `wait(timeout?)` resolves with the flag.
 *
 * @example
 * ```ts
 * import { Event, Process } from 'multiprocess';
 *
 * const ready = new Event();
 * const p = new Process({ target: async (e: Event) => { await e.wait(); console.log('go!'); }, args: [ready] });
 * await p.start();
 * ready.set();
 * await p.join();
 * ```
 */
export class Event {
  readonly #h: Handle<EventMeta>;
  readonly #w: Int32Array | null;

  static {
    handleOf = (e) => e.#h;
  }

  /**
   * A new event, not set.
   *
   * @example
   * ```ts
   * const done = new Event(); // or ctx.Event()
   * ```
   */
  constructor() {
    const h = takeAttaching<EventMeta>() ?? createHandle(KIND, {});
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab) : null;
  }

  /**
   * True if the flag is set (Python's `is_set()`).
   *
   * @example
   * ```ts
   * if (!done.isSet()) console.log('still running');
   * ```
   */
  isSet(): boolean {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<EventMeta>, 'isSet', []) as boolean;
    return Atomics.load(w, E_FLAG) !== 0;
  }

  /**
   * Sets the flag and wakes every waiter.
   *
   * @example
   * ```ts
   * done.set();
   * ```
   */
  set(): void {
    const w = this.#w;
    if (w === null) return send(this.#h as RemoteHandle<EventMeta>, 'set', []);
    Atomics.store(w, E_FLAG, 1);
    Atomics.notify(w, E_FLAG);
  }

  /**
   * Clears the flag: later `wait()`s wait again.
   *
   * @example
   * ```ts
   * done.clear();
   * ```
   */
  clear(): void {
    const w = this.#w;
    if (w === null) return send(this.#h as RemoteHandle<EventMeta>, 'clear', []);
    Atomics.store(w, E_FLAG, 0);
  }

  /**
   * Waits until the flag is set, or `timeout` ms (`undefined`/`null` = forever).
   *
   * @returns the flag: true if set, false on timeout.
   * @example
   * ```ts
   * if (!(await done.wait(5000))) console.log('gave up after 5 s');
   * ```
   */
  wait(timeout?: number | null): Promise<boolean> {
    const w = this.#w;
    if (w === null) return this.#remoteWait(timeout);
    if (Atomics.load(w, E_FLAG) !== 0) return TRUE;
    if (!mayWait(true, timeout)) return FALSE;
    return this.#localWait(w, timeout);
  }

  async #localWait(w: Int32Array, timeout: number | null | undefined): Promise<boolean> {
    return runAsync(eventWait(w, new Deadline(timeout)));
  }

  async #remoteWait(timeout: number | null | undefined): Promise<boolean> {
    const h = this.#h as RemoteHandle<EventMeta>;
    if (callSync(h, 'isSet', []) as boolean) return true;
    if (!mayWait(true, timeout)) return false;
    return (await h.call('mp:wait', [wireTimeout(timeout)])) as boolean;
  }

  /**
   * The blocking twin of {@link wait}.
   *
   * @example
   * ```ts
   * done.waitSync(1000);
   * ```
   */
  waitSync(timeout?: number | null): boolean {
    const w = this.#w;
    if (w === null) return callSync(this.#h as RemoteHandle<EventMeta>, 'wait', [wireTimeout(timeout)]) as boolean;
    if (Atomics.load(w, E_FLAG) !== 0) return true;
    return runSync(eventWait(w, new Deadline(timeout)));
  }

  /**
   * Python's repr: `<Event at 0x… set>` / `<Event at 0x… unset>`.
   *
   * @example
   * ```ts
   * String(new Event()); // '<Event at 0x7f… unset>'
   * ```
   */
  toString(): string {
    return `<Event at ${reprId(this.#h)} ${this.isSet() ? 'set' : 'unset'}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    defineBrokerOps(this, {
      ping: () => null,
      isSet(this: Event): boolean {
        return this.isSet();
      },
      set(this: Event): null {
        this.set();
        return null;
      },
      clear(this: Event): null {
        this.clear();
        return null;
      },
      wait(this: Event, timeout: number | null): boolean | Promise<boolean> {
        const w = this.#w!;
        if (Atomics.load(w, E_FLAG) !== 0) return true;
        return runAsync(eventWait(w, new Deadline(timeout)), callerSignal());
      },
    });
  }
}

registerSharedClass(Event, KIND, (e) => handleOf(e), (h) => withAttaching(h, () => new Event()));
