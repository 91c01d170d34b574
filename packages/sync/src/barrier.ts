import { getLogger, ValueError } from '@mp/context';
import { dumps, loads } from '@mp/serialize';
import {
  callerSignal,
  callerToken,
  createHandle,
  type Handle,
  registerSharedClass,
  type RemoteHandle,
  type SharedKind,
  takeAttaching,
  withAttaching,
} from '@mp/context/spi';
import { abort, actionDone, arrive, isBroken, nWaiting, reset } from './internal/barrier-core.js';
import { runAsync, runSync } from './internal/drive.js';
import { B_PARTIES_AT } from './internal/layout.js';
import { call, callSync, defineBrokerOps, reprId } from './internal/remote.js';

interface BarrierMeta {
  readonly parties: number;
  /** The action, serialized (meta must be plain data: the broker decodes it before importing us). */
  readonly action: Uint8Array | null;
  readonly timeout: number | null;
}

const KIND: SharedKind<BarrierMeta> = {
  kind: 'sync.Barrier',
  module: import.meta.url,
  byteLength: (meta) => (B_PARTIES_AT + meta.parties) * 4,
};

let handleOf!: (b: Barrier) => Handle<BarrierMeta>;

/**
 * A barrier for a fixed number of parties (Python's `multiprocessing.Barrier`): each party's
 * `wait()` blocks until `parties` of them wait, then all go on; each gets a distinct index
 * `0..parties-1`. The barrier is cyclic: it can be passed again and again.
 *
 * The optional `action` runs once per cycle, in the process of the last party to arrive, before
 * the others are released (it is sent by source, like a Process target). A party that times out,
 * `abort()`, `reset()` while parties wait, an action that throws, and a party that dies while
 * the barrier fills break it: waiters get {@link BrokenBarrierError} until `reset()`.
 *
 * @example
 * ```ts
 * import { Barrier, Process } from 'multiprocess';
 *
 * const barrier = new Barrier(3, () => console.log('all arrived'));
 * const work = async (b: Barrier, id: number) => console.log(id, 'got index', await b.wait());
 * const ps = [1, 2].map((id) => new Process({ target: work, args: [barrier, id] }));
 * for (const p of ps) await p.start();
 * await barrier.wait(10_000);
 * for (const p of ps) await p.join();
 * ```
 */
export class Barrier {
  readonly #h: Handle<BarrierMeta>;
  readonly #w: Int32Array | null;
  /** The action, revived on first use (undefined: not yet). */
  #action: (() => unknown) | null | undefined;

  static {
    handleOf = (b) => b.#h;
  }

  /**
   * @param parties - how many parties must wait for the barrier to trip (≥ 1).
   * @param action - run by the last party to arrive, before the others are released.
   * @param timeout - default timeout (ms) of `wait()` (`undefined`/`null`: none).
   * @example
   * ```ts
   * const b = new Barrier(4, null, 30_000); // or ctx.Barrier(4, null, 30_000)
   * ```
   */
  constructor(parties: number, action?: (() => unknown) | null, timeout?: number | null) {
    const attaching = takeAttaching<BarrierMeta>();
    if (attaching === null) {
      if (!Number.isInteger(parties) || parties < 1) throw new ValueError(`parties must be an integer > 0, not ${String(parties)}`);
      if (action !== undefined && action !== null && typeof action !== 'function') throw new TypeError('Barrier(parties, action): action must be a function');
      if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
        throw new TypeError(`Barrier(parties, action, timeout): timeout must be a number of milliseconds, not ${String(timeout)}`);
      }
    }
    const h = attaching ?? createHandle(KIND, { parties, action: action ? dumps(action) : null, timeout: timeout ?? null });
    this.#h = h;
    this.#w = h.local ? new Int32Array(h.sab) : null;
    this.#action = attaching === null ? (action ?? null) : undefined;
  }

  #actionFn(): (() => unknown) | null {
    if (this.#action === undefined) this.#action = this.#h.meta.action === null ? null : loads<() => unknown>(this.#h.meta.action);
    return this.#action;
  }

  /**
   * The number of parties required to trip the barrier.
   *
   * @example
   * ```ts
   * new Barrier(3).parties; // 3
   * ```
   */
  get parties(): number {
    return this.#h.meta.parties;
  }

  /**
   * The number of parties waiting now (0 unless the barrier is filling). Python's `n_waiting`.
   *
   * @example
   * ```ts
   * while (barrier.nWaiting < barrier.parties - 1) await sleep(1);
   * ```
   */
  get nWaiting(): number {
    const w = this.#w;
    if (w === null) return (callSync(this.#h as RemoteHandle<BarrierMeta>, 'state', []) as [number, boolean])[0];
    return nWaiting(w);
  }

  /**
   * True if the barrier is broken (until `reset()`).
   *
   * @example
   * ```ts
   * if (barrier.broken) barrier.reset();
   * ```
   */
  get broken(): boolean {
    const w = this.#w;
    if (w === null) return (callSync(this.#h as RemoteHandle<BarrierMeta>, 'state', []) as [number, boolean])[1];
    return isBroken(w);
  }

  #timeout(timeout: number | null | undefined): number | null {
    return timeout === undefined || timeout === null ? this.#h.meta.timeout : timeout;
  }

  /**
   * Waits until all parties wait, or `timeout` ms (`undefined`/`null`: the barrier's default).
   * A timeout breaks the barrier.
   *
   * @returns this party's index, 0..parties-1 (distinct within a cycle).
   * @throws BrokenBarrierError if the barrier is or becomes broken.
   * @example
   * ```ts
   * const i = await barrier.wait();
   * if (i === 0) console.log('all parties passed');
   * ```
   */
  async wait(timeout?: number | null): Promise<number> {
    const parties = this.#h.meta.parties;
    const hasAction = this.#h.meta.action !== null;
    const w = this.#w;
    const t = this.#timeout(timeout);
    if (w === null) {
      const h = this.#h as RemoteHandle<BarrierMeta>;
      const r = (await call(h, 'arrive', [t, hasAction])) as number;
      if (r >= 0) return r;
      let failure: { error: unknown } | null = null;
      try {
        await this.#actionFn()!();
      } catch (error) {
        failure = { error };
      }
      // Ordered after what the action sent (e.g. a release): `call` flushes first.
      const index = (await call(h, 'actionDone', [-r - 1, failure === null])) as number;
      if (failure) throw failure.error;
      return index;
    }
    const token = callerToken();
    const r = await runAsync(arrive(w, parties, token, t, hasAction));
    if (r >= 0) return r;
    let failure: { error: unknown } | null = null;
    try {
      await this.#actionFn()!();
    } catch (error) {
      failure = { error };
    }
    const index = await runAsync(actionDone(w, parties, token, -r - 1, failure === null));
    if (failure) throw failure.error;
    return index;
  }

  /**
   * The blocking twin of {@link wait}. An async action is started but not awaited here.
   *
   * @example
   * ```ts
   * const i = barrier.waitSync(5000);
   * ```
   */
  waitSync(timeout?: number | null): number {
    const parties = this.#h.meta.parties;
    const hasAction = this.#h.meta.action !== null;
    const w = this.#w;
    const t = this.#timeout(timeout);
    const h = this.#h as RemoteHandle<BarrierMeta>;
    const token = callerToken();
    const r = w === null ? (callSync(h, 'arrive', [t, hasAction]) as number) : runSync(arrive(w, parties, token, t, hasAction));
    if (r >= 0) return r;
    let failure: { error: unknown } | null = null;
    try {
      const result = this.#actionFn()!();
      if (isThenable(result)) result.then(undefined, (error: unknown) => getLogger().error('Barrier action (not awaited by waitSync) failed: %s', String(error)));
    } catch (error) {
      failure = { error };
    }
    const index = w === null ? (callSync(h, 'actionDone', [-r - 1, failure === null]) as number) : runSync(actionDone(w, parties, token, -r - 1, failure === null));
    if (failure) throw failure.error;
    return index;
  }

  /**
   * Returns the barrier to its initial state; parties waiting now get BrokenBarrierError.
   *
   * @example
   * ```ts
   * if (barrier.broken) barrier.reset();
   * ```
   */
  reset(): void {
    const w = this.#w;
    if (w === null) callSync(this.#h as RemoteHandle<BarrierMeta>, 'reset', []);
    else runSync(reset(w, this.parties, callerToken()));
  }

  /**
   * Breaks the barrier: current and later `wait()`s throw BrokenBarrierError until `reset()`.
   *
   * @example
   * ```ts
   * try { await step(); } catch { barrier.abort(); }
   * ```
   */
  abort(): void {
    const w = this.#w;
    if (w === null) callSync(this.#h as RemoteHandle<BarrierMeta>, 'abort', []);
    else runSync(abort(w, this.parties, callerToken()));
  }

  /**
   * Python's repr: `<Barrier at 0x…: waiters=1/3>` or `<Barrier at 0x…: broken>`.
   *
   * @example
   * ```ts
   * String(new Barrier(3)); // '<Barrier at 0x7f…: waiters=0/3>'
   * ```
   */
  toString(): string {
    const id = reprId(this.#h);
    return this.broken ? `<Barrier at ${id}: broken>` : `<Barrier at ${id}: waiters=${this.nWaiting}/${this.parties}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  static {
    defineBrokerOps(this, {
      ping: () => null,
      arrive(this: Barrier, timeout: number | null, hasAction: boolean): Promise<number> {
        return runAsync(arrive(this.#w!, this.parties, callerToken(), timeout, hasAction), callerSignal());
      },
      actionDone(this: Barrier, index: number, ok: boolean): Promise<number> {
        return runAsync(actionDone(this.#w!, this.parties, callerToken(), index, ok), callerSignal());
      },
      reset(this: Barrier): Promise<void> {
        return runAsync(reset(this.#w!, this.parties, callerToken()));
      },
      abort(this: Barrier): Promise<void> {
        return runAsync(abort(this.#w!, this.parties, callerToken()));
      },
      state(this: Barrier): [number, boolean] {
        return [nWaiting(this.#w!), isBroken(this.#w!)];
      },
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

registerSharedClass(Barrier, KIND, (b) => handleOf(b), (h) => withAttaching(h, () => new Barrier(1)));
