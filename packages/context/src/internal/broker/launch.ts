/**
 * Starting the broker (root process, main thread only) and linking new root threads to it.
 */
import { childProcessModule, workerThreadsModule } from '../lazy.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { BROKER_ENV, runtime, type RootLink } from '../runtime.js';
import { entryUrl } from '../popen/popen.js';
import { RENDEZVOUS_NAME } from './protocol.js';

export interface LinkedRoot extends RootLink {
  readonly brokerPort: MessagePort;
  readonly syncPort: MessagePort;
  readonly syncFlag: Int32Array;
}

/** What a new worker thread of the root process receives to reach the broker. */
export interface ThreadLink {
  liveness: SharedArrayBuffer;
  brokerPort: MessagePort;
  syncPort: MessagePort;
  syncFlag: Int32Array;
}

let brokerWorker: Worker | null = null;

/** Starts the broker if it is not running (root main thread); returns the root link. */
export function ensureBroker(): LinkedRoot {
  const rt = runtime();
  const root = rt.root;
  if (root === null) throw new Error('only the root process runs a broker');
  if (root.brokerPort !== null && root.syncPort !== null && root.syncFlag !== null) return root as LinkedRoot;
  if (rt.kind !== 'main') throw new Error('a thread of the root process has no link to the broker');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-'));
  fs.chmodSync(dir, 0o700);
  try {
    childProcessModule().execFileSync('mkfifo', ['-m', '600', path.join(dir, RENDEZVOUS_NAME)]);
  } catch (error) {
    throw new Error('multiprocess needs the `mkfifo` command (coreutils) to serve spawn children', { cause: error });
  }
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

  const async = new MessageChannel();
  const sync = new MessageChannel();
  const syncFlag = new Int32Array(new SharedArrayBuffer(4));
  brokerWorker = new (workerThreadsModule().Worker)(entryUrl('broker'), {
    workerData: {
      dir,
      authkey: rt.brokerKey,
      liveness: root.liveness.buffer,
      token: root.liveness.allocate(rt.token),
      rootPid: process.pid,
      port: async.port1,
      syncPort: sync.port1,
      syncFlag,
    },
    transferList: [async.port1, sync.port1],
    stdout: false,
    stderr: false,
    // The broker wraps FIFO fds it opened in sockets; fd tracking would warn about them, and the
    // broker lives as long as the process anyway.
    trackUnmanagedFds: false,
  });
  brokerWorker.unref();
  brokerWorker.on('error', (error) => {
    process.stderr.write(`multiprocess: the broker thread failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  });
  async.port2.unref();
  sync.port2.unref();
  const linked: LinkedRoot = { liveness: root.liveness, brokerPort: async.port2, syncPort: sync.port2, syncFlag };
  rt.root = linked;
  rt.brokerDir = dir;
  process.env[BROKER_ENV] = dir;
  return linked;
}

/** Links a new worker thread of the root process to the broker (call in its parent). */
export function linkThread(): { link: ThreadLink; transfer: MessagePort[] } {
  const rt = runtime();
  const root = rt.kind === 'main' ? ensureBroker() : (rt.root as LinkedRoot | null);
  if (root === null || root.brokerPort === null) throw new Error('this thread cannot start thread children: it has no link to the broker');
  const async = new MessageChannel();
  const sync = new MessageChannel();
  const syncFlag = new Int32Array(new SharedArrayBuffer(4));
  root.brokerPort.postMessage({ t: 'attach', port: async.port1, syncPort: sync.port1, syncFlag }, [async.port1, sync.port1]);
  return {
    link: { liveness: root.liveness.buffer, brokerPort: async.port2, syncPort: sync.port2, syncFlag },
    transfer: [async.port2, sync.port2],
  };
}
