import { registerClass } from '@mp/serialize';

/**
 * Raised by `get(false)`, `getNowait()` and a `get` whose timeout expired: no item was available
 * (Python's `queue.Empty`).
 *
 * @example
 * ```ts
 * import { Queue, Empty } from '@mp/queue';
 * const q = new Queue<number>();
 * try { q.getNowait(); } catch (e) { if (e instanceof Empty) console.log('nothing yet'); }
 * ```
 */
export class Empty extends Error {
  constructor(message = 'the queue is empty: no item arrived before the timeout (wait longer, or check qsize()/empty() first)', options?: ErrorOptions) {
    super(message, options);
    this.name = 'Empty';
  }
}

/**
 * Raised by `put(item, false)`, `putNowait()` and a `put` whose timeout expired on a queue made
 * with a `maxsize` that is full (Python's `queue.Full`).
 *
 * @example
 * ```ts
 * import { Queue, Full } from '@mp/queue';
 * const q = new Queue<number>(1);
 * q.putNowait(1);
 * try { q.putNowait(2); } catch (e) { if (e instanceof Full) console.log('full'); }
 * ```
 */
export class Full extends Error {
  constructor(message = 'the queue is full: it holds maxsize items (wait with a longer timeout, or let a consumer get() first)', options?: ErrorOptions) {
    super(message, options);
    this.name = 'Full';
  }
}

registerClass(Empty, 'mp.queue.Empty');
registerClass(Full, 'mp.queue.Full');
