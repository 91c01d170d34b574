/**
 * Entry of every child, on both start methods. A `thread` child finds its payload in
 * `workerData`; a `spawn` child receives it as the first IPC message.
 */
import type { ThreadLink } from '../internal/broker/launch.js';
import { runChild } from '../internal/child-main.js';
import type { ChildPayload } from '../internal/popen/popen.js';
import { SPARE } from '../internal/popen/spare-worker.js';
import { workerThreadsModule } from '../internal/lazy.js';

// A spawn child has its IPC channel; a worker thread never has `process.send`. Telling them apart
// this way keeps node:worker_threads out of a spawn child's start-up (~6 ms, measured in B7).
if (typeof process.send === 'function') {
  // Socket handles (Pipe ends passed as arguments) arrive first, then the payload.
  const handles: unknown[] = [];
  const message = await new Promise<{ t: 'boot'; payload: ChildPayload }>((resolve) => {
    const onMessage = (m: { t: string }, handle?: unknown): void => {
      if (m.t === 'handle') {
        // Until its Connection is revived, an error (the other end already gone) must not crash us.
        (handle as { on?: (event: string, fn: () => void) => void } | undefined)?.on?.('error', () => {});
        handles.push(handle);
      }
      else if (m.t === 'boot') {
        process.off('message', onMessage);
        resolve(m as { t: 'boot'; payload: ChildPayload });
      }
    };
    process.on('message', onMessage);
    // The parent sends socket handles only once this listener exists (see spawn-popen.ts).
    process.send?.({ t: 'ready' });
  });
  const counts = message.payload.handles;
  if (counts !== null) {
    const take = (n: number) => ({ shared: [], transfer: handles.splice(0, n) });
    (message.payload as { sidecars: ChildPayload['sidecars'] }).sidecars = {
      target: take(counts.target),
      args: take(counts.args),
      process: take(counts.process),
    };
  }
  // The IPC channel must not keep the child alive, but its loss means the parent died: a child
  // never outlives its parent as an orphan.
  process.channel?.unref();
  process.on('disconnect', () => process.exit(1));
  await runChild(message.payload, null, {
    post: (m) => {
      process.send?.(m);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    exit: (code) => process.exit(code),
  });
} else {
  type ThreadBoot = { payload: ChildPayload; link: ThreadLink | null; env?: NodeJS.ProcessEnv };
  const { parentPort, workerData } = workerThreadsModule();
  const port = parentPort!;
  // A spare worker (spare-worker.ts) loaded this module ahead of time and gets its boot now.
  const boot: ThreadBoot =
    workerData === SPARE ? await new Promise<ThreadBoot>((resolve) => port.once('message', resolve)) : (workerData as ThreadBoot);
  if (boot.env !== undefined) {
    for (const key of Object.keys(process.env)) if (!(key in boot.env)) delete process.env[key];
    Object.assign(process.env, boot.env);
  }
  const { payload, link } = boot;
  await runChild(payload, link, {
    post: (m) => port.postMessage(m),
    stderr: (text) => port.postMessage({ t: 'stderr', text }),
    exit: (code) => process.exit(code),
  });
}
