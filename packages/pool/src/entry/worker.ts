/**
 * Entry of a pool worker: the target of each worker Process (`ref()` to this module, so nothing
 * is sent by source). Connects to the pool, runs the initializer, says READY, then runs tasks
 * until told to stop. The initializer comes encoded, so that a `ref()` to a TypeScript module
 * is resolved here (see typescript-loader.ts) rather than by the Process bootstrap.
 */
import type { MessagePort } from 'node:worker_threads';
import { decodeAsync, encode, type Sidecar } from '@mp/serialize/spi';
import { R_INIT_ERROR, R_READY } from '../internal/protocol.js';
import { WorkerPort, WorkerSocket, type WorkerChannel } from '../internal/worker/channel.js';
import { WorkerLoop } from '../internal/worker/loop.js';
import { resolveTaskFunction } from '../internal/worker/typescript-loader.js';

/** What the pool gives each worker (a Process argument). */
export interface WorkerSpec {
  readonly id: number;
  /** thread: the worker's end of its MessageChannel. */
  readonly port: MessagePort | null;
  /** spawn: the pool's Unix socket and key. */
  readonly path: string | null;
  readonly authkey: Uint8Array | null;
  /** thread: the shared slot (see protocol.ts). */
  readonly slot: Int32Array | null;
  /** `[initializer, initargs]`, encoded by the pool (decoded here, after the TypeScript loader is up). */
  readonly init: Uint8Array | null;
  readonly initSidecar: Sidecar | null;
  readonly maxHeapMb: number | null;
}

export async function runPoolWorker(spec: WorkerSpec): Promise<void> {
  let channel: WorkerChannel;
  if (spec.port !== null) channel = new WorkerPort(spec.port);
  else channel = await WorkerSocket.connect(spec.path!, spec.authkey!, spec.id);
  const loop = new WorkerLoop(channel, spec.slot, spec.maxHeapMb);
  // The pool closes the channel when it is terminated: nothing left to do here.
  channel.listen((batch) => loop.receive(batch), () => process.exit(0));

  if (spec.init !== null) {
    try {
      const [initializer, initargs] = await decodeAsync<[((...args: unknown[]) => unknown) | null, unknown[]]>(spec.init, spec.initSidecar ?? undefined);
      if (initializer !== null) await ((await resolveTaskFunction(initializer)) as (...args: unknown[]) => unknown)(...initargs);
    } catch (error) {
      let report: Uint8Array;
      try {
        report = encode([R_INIT_ERROR, error]).bytes;
      } catch {
        report = encode([R_INIT_ERROR, new Error(String((error as Error)?.message ?? error))]).bytes;
      }
      channel.send({ bytes: report, sidecar: null });
      throw error; // printed on stderr as `Process SpawnPoolWorker-1:` + stack; exit code 1
    }
  }
  channel.send({ plain: [R_READY] });
  await loop.finished;
  channel.close();
}
