/**
 * The two start methods implement one interface, as tinypool's `TinypoolWorker` does: a running
 * child seen from its parent.
 */
import type { Sidecar } from '@mp/serialize/spi';
import type { BootInfo } from '../runtime.js';

/** Everything a child needs to become the process its parent described. */
export interface ChildPayload {
  readonly boot: BootInfo;
  /** @mp/serialize encodings of the target, its arguments, and (for subclasses) the Process. */
  readonly target: Uint8Array | null;
  readonly args: Uint8Array;
  readonly process: Uint8Array | null;
  /** Out-of-band SharedArrayBuffers and ports of each part (thread children only). */
  readonly sidecars: {
    readonly target: Sidecar | null;
    readonly args: Sidecar | null;
    readonly process: Sidecar | null;
  } | null;
  /** Spawn children: how many socket handles of each part follow as IPC handle messages. */
  readonly handles: { readonly target: number; readonly args: number; readonly process: number } | null;
}

export interface Popen {
  /** OS process id of the child (a thread child reports its process's pid). */
  readonly pid: number;
  /** Resolves once the child runs its bootstrap (rejects if it could not start). */
  readonly started: Promise<void>;
  /** Resolves with the exit code (Python's convention: -N when killed by signal N). */
  readonly exited: Promise<number>;
  /** The exit code once the child has exited, else null. */
  readonly exitCode: number | null;
  /** SIGTERM (spawn) or thread termination (thread); the exit code becomes -15. */
  terminate(): void;
  /** SIGKILL (spawn) or thread termination (thread); the exit code becomes -9. */
  kill(): void;
  /** Stops the child from keeping this process alive (daemon children). */
  unref(): void;
}

export interface PopenOptions {
  readonly payload: ChildPayload;
  /**
   * Objects to move to the child, parts in order (target, args, process): MessagePorts for a
   * thread child, socket handles for a spawn child.
   */
  readonly transfer: readonly object[];
  readonly name: string;
  readonly executable: string | null;
  /** Called with text the child asks its parent to print on stderr (uncaught errors). */
  readonly onStderr: (text: string) => void;
}

/** URL of a bundled entry (dist/entry/<name>.js) from any module of dist/ or dist/entry/. */
export function entryUrl(name: string): URL {
  const here = new URL('.', import.meta.url);
  const dist = here.pathname.endsWith('/entry/') ? new URL('..', here) : here;
  return new URL(`entry/${name}.js`, dist);
}

/** Node flags a child inherits: loaders (tsx) and conditions yes; inspector and eval no. */
export function childExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (/^--(inspect|debug)/.test(arg)) continue;
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') {
      i++;
      continue;
    }
    if (/^--(eval|print)=/.test(arg) || arg === '-i' || arg === '--interactive') continue;
    out.push(arg);
  }
  return out;
}
