/** The `spawn` start method: a new Node process (child_process.fork) with an IPC channel. */
import type { ChildProcess } from 'node:child_process';
import { Server, Socket } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { childProcessModule } from '../lazy.js';
import { BROKER_ENV, runtime } from '../runtime.js';
import { childExecArgv, entryUrl, type Popen, type PopenOptions } from './popen.js';

/** Messages a spawn child sends to its parent over IPC. */
export type SpawnChildMessage = { t: 'ready' } | { t: 'started' } | { t: 'stderr'; text: string };

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Daemon children die with their parent even when it exits abruptly via process.exit(). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

export class SpawnPopen implements Popen {
  readonly pid: number;
  readonly started: Promise<void>;
  readonly exited: Promise<number>;
  #exitCode: number | null = null;
  /** Sends the socket handles and the payload once the child is ready for them. */
  #onReady: (() => void) | null = null;
  readonly #child: ChildProcess;

  constructor(options: PopenOptions) {
    SpawnPopen.check(options.transfer);
    const rt = runtime();
    installExitHook();
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (rt.brokerDir !== null) env[BROKER_ENV] = rt.brokerDir;
    this.#child = childProcessModule().fork(fileURLToPath(entryUrl('child')), [], {
      execPath: options.executable ?? process.execPath,
      execArgv: childExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      env,
    });
    const child = this.#child;
    if (child.pid === undefined) {
      // fork() failed synchronously (e.g. a bad executable); the 'error' event follows.
      this.pid = -1;
    } else {
      this.pid = child.pid;
    }
    liveChildren.add(child);
    this.started = new Promise((resolve, reject) => {
      child.on('message', (message: SpawnChildMessage) => {
        if (message.t === 'ready') {
          const send = this.#onReady;
          this.#onReady = null;
          send?.();
        } else if (message.t === 'started') resolve();
        else if (message.t === 'stderr') options.onStderr(message.text);
      });
      child.once('error', reject);
      child.once('exit', () => resolve());
    });
    this.started.catch(() => {});
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(child);
        if (this.#onReady !== null) {
          // Never got as far as taking its handles: close our copies.
          this.#onReady = null;
          for (const handle of options.transfer) (handle as Socket).destroy();
        }
        const signo = signal === null ? undefined : os.constants.signals[signal];
        this.#exitCode = signo === undefined ? (code ?? 1) : -signo;
        resolve(this.#exitCode);
      });
      child.once('error', () => {
        if (child.pid === undefined) {
          liveChildren.delete(child);
          this.#exitCode = 1;
          resolve(1);
        }
      });
    });
    // Socket handles (Pipe ends) go first, one IPC message each; then the payload. Node turns a
    // received socket handle into a socket that reads at once, so handles wait until the child's
    // entry listens (its 'ready'): otherwise a socket could fail (e.g. EBADF on a write-only pipe
    // end whose reader is gone) before anything in the child can handle its errors.
    const sendPayload = (): void => {
      for (const handle of options.transfer) child.send({ t: 'handle' }, handle as Socket);
      child.send({ t: 'boot', payload: options.payload });
    };
    if (options.transfer.length === 0) sendPayload();
    else this.#onReady = sendPayload;
  }

  /** Only sockets and servers can cross to another process (over the IPC channel). */
  static check(transfer: readonly object[]): void {
    for (const item of transfer) {
      if (!(item instanceof Socket) && !(item instanceof Server)) {
        throw new TypeError(
          `cannot send ${item.constructor.name} to a spawn child: only sockets can cross to another process. ` +
            `A Pipe made for the 'thread' start method (a MessagePort) cannot be used by a 'spawn' child; make it with the child's context (getContext('spawn').Pipe()).`,
        );
      }
    }
  }

  get exitCode(): number | null {
    return this.#exitCode;
  }

  terminate(): void {
    if (this.#exitCode === null) this.#child.kill('SIGTERM');
  }

  kill(): void {
    if (this.#exitCode === null) this.#child.kill('SIGKILL');
  }

  unref(): void {
    this.#child.unref();
    this.#child.channel?.unref();
  }
}
