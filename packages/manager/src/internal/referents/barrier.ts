/**
 * Server-side Barrier (Python's `threading.Barrier`).
 *
 * State: `count` parties are waiting in the current round; `broken` until reset(). The party that
 * completes a round runs `action` (if any), then wakes the others with 'pass' and returns index
 * parties-1 (the others got 0..parties-2 in arrival order). A timeout, an abort(), a failing
 * action or a waiting caller that goes away breaks the barrier: every waiter gets
 * BrokenBarrierError, as do later waits until reset().
 */
import { BrokenBarrierError } from '@mp/sync';
import { currentCaller } from '../caller.js';
import { timeoutOf, WaitQueue } from '../wait-queue.js';

const PASS = 'pass';

export class BarrierReferent {
  readonly parties: number;
  readonly action: (() => unknown) | null;
  readonly timeout: number | null;
  count = 0;
  broken = false;
  readonly waiters = new WaitQueue();

  constructor(parties: unknown, action?: unknown, timeout?: number | null) {
    if (typeof parties !== 'number' || !Number.isInteger(parties) || parties < 1) throw new RangeError('parties must be an integer > 0');
    if (action !== undefined && action !== null && typeof action !== 'function') throw new TypeError('action must be a function or null');
    this.parties = parties;
    this.action = (action as (() => unknown) | null | undefined) ?? null;
    this.timeout = timeoutOf(timeout);
  }

  async wait(timeout?: number | null): Promise<number> {
    const me = currentCaller();
    if (this.broken) throw new BrokenBarrierError();
    const ms = timeout === undefined || timeout === null ? this.timeout : timeoutOf(timeout);
    const index = this.count++;
    if (this.count === this.parties) {
      try {
        if (this.action !== null) await this.action();
      } catch (error) {
        this.#break();
        throw error;
      }
      this.count = 0;
      this.waiters.wakeAll(PASS);
      return index;
    }
    let outcome: unknown = null;
    const woken = await this.waiters.wait(ms, me, (payload) => {
      outcome = payload;
    });
    if (!woken) this.#break();
    if (outcome !== PASS) throw new BrokenBarrierError();
    return index;
  }
  reset(): void {
    if (this.count > 0) this.waiters.wakeAll('reset');
    this.count = 0;
    this.broken = false;
  }
  abort(): void {
    this.#break();
  }
  #break(): void {
    this.broken = true;
    this.count = 0;
    this.waiters.wakeAll('broken');
  }
  getParties(): number {
    return this.parties;
  }
  getNWaiting(): number {
    return this.count;
  }
  isBroken(): boolean {
    return this.broken;
  }
  toString(): string {
    return this.broken ? '<Barrier broken>' : `<Barrier waiters=${this.count}/${this.parties}>`;
  }
}
