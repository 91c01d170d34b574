/** Server-side Event (Python's `threading.Event`): a flag; `wait` resolves when it is set. */
import { currentCaller } from '../caller.js';
import { timeoutOf, WaitQueue } from '../wait-queue.js';

export class EventReferent {
  flag = false;
  readonly waiters = new WaitQueue();

  isSet(): boolean {
    return this.flag;
  }
  set(): void {
    this.flag = true;
    this.waiters.wakeAll();
  }
  clear(): void {
    this.flag = false;
  }
  wait(timeout?: number | null): boolean | Promise<boolean> {
    if (this.flag) return true;
    return this.waiters.wait(timeoutOf(timeout), currentCaller()).then((woken) => woken || this.flag);
  }
  toString(): string {
    return `<Event ${this.flag ? 'set' : 'unset'}>`;
  }
}
