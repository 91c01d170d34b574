/**
 * Buffered items must not die with their producer: when an isolate exits on its own (a child's
 * target returned or threw, or `process.exit()`), every queue object of this isolate that still
 * buffers items flushes them to the root (ring or broker), which outlives the child. This is how
 * a child that put more than the queue holds can exit with nobody reading (Python's deadlock).
 */
import { runtime } from '@mp/context/spi';

interface Flushable {
  exitFlush(): void;
}

const buffered = new Set<Flushable>();
let hooked = false;

function flushAll(): void {
  for (const core of [...buffered]) {
    try {
      core.exitFlush();
    } catch (error) {
      process.stderr.write(`multiprocess: a queue could not flush its buffered items at exit: ${String(error)}\n`);
    }
  }
  buffered.clear();
}

/** Marks `core` as holding buffered items (or not). */
export function setBuffered(core: Flushable, has: boolean): void {
  if (!has) {
    buffered.delete(core);
    return;
  }
  buffered.add(core);
  if (hooked) return;
  const rt = runtime();
  // The root's main thread: its exit ends the program (and the broker), so nothing can be saved.
  if (rt.kind === 'main') return;
  hooked = true;
  rt.exitHooks.push(flushAll);
  process.once('exit', flushAll);
}
