/**
 * A spare worker thread for the next `thread` child: a new isolate spends most of its start-up
 * loading and compiling this library, so after a program has started its second thread child,
 * one worker is kept loaded and waiting for its boot message (as Python's forkserver keeps a
 * process ready). Measured (B7, same run): start→join of an empty target 105 ms → see README,
 * against 60 ms for a raw `new Worker` of an empty file.
 *
 * The spare is unref'd (it never keeps a program alive) and ends after {@link IDLE_MS} unused.
 * Environment changes made after it was created are applied at boot (see entry/child.ts).
 */
import type { Worker } from 'node:worker_threads';
import { workerThreadsModule } from '../lazy.js';
import { entryUrl } from './popen.js';

/** What a spare worker receives as its `workerData`. */
export const SPARE = 'mp:spare';
const IDLE_MS = 5_000;

let spare: { worker: Worker; timer: NodeJS.Timeout } | null = null;
let starts = 0;

function discard(worker: Worker): void {
  if (spare?.worker !== worker) return;
  clearTimeout(spare.timer);
  spare = null;
}

function prepare(): void {
  if (spare !== null) return;
  const worker = new (workerThreadsModule().Worker)(entryUrl('child'), { workerData: SPARE });
  worker.unref();
  // A spare that fails to load or exits is simply not used; the next start makes a fresh worker.
  worker.once('error', () => discard(worker));
  worker.once('exit', () => discard(worker));
  const timer = setTimeout(() => {
    discard(worker);
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  spare = { worker, timer };
}

/**
 * The loaded spare worker if there is one (the caller must post it a boot message), else null;
 * in both cases prepares the next spare once this isolate has started a thread child before.
 */
export function takeSpareWorker(): Worker | null {
  const taken = spare;
  if (taken !== null) {
    clearTimeout(taken.timer);
    taken.worker.removeAllListeners();
    spare = null;
  }
  if (++starts >= 2) setImmediate(prepare);
  return taken?.worker ?? null;
}
