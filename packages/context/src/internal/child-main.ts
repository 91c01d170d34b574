/**
 * The child's half of a Process, shared by both start methods: become the process the parent
 * described, run it, report, exit with Python's exit codes.
 */
import { flushPendingWrites } from '@mp/connection/spi';
import { decodeAsync, type Sidecar } from '@mp/serialize/spi';
import { kState, makeProcessObject, Process } from '../process.js';
import type { ThreadLink } from './broker/launch.js';
import { LivenessTable } from './liveness.js';
import type { ChildPayload } from './popen/popen.js';
import { installChildRuntime, type Runtime } from './runtime.js';

/** How the child talks to its parent. */
export interface ParentChannel {
  post(message: { t: 'started' }): void;
  /** Writes text to the parent's stderr (a thread child's own stderr is asynchronous). */
  stderr(text: string): void;
  exit(code: number): never;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `Uncaught ${typeof error === 'string' ? error : String(error)}`;
}

/** Python's `_exit_function`: run finalizers, terminate daemonic children, join the others. */
async function exitFunction(rt: Runtime): Promise<void> {
  for (const hook of rt.exitHooks.splice(0)) await hook();
  const children = [...rt.children] as Process[];
  for (const child of children) if (child.daemon && child.isAlive()) child.terminate();
  for (const child of children) if (child.exitCode === null) await child.join();
  // process.exit() drops socket writes still queued in Node (a Connection's last sends).
  await flushPendingWrites();
}

export async function runChild(payload: ChildPayload, link: ThreadLink | null, channel: ParentChannel): Promise<never> {
  const boot = { ...payload.boot, self: { ...payload.boot.self, pid: process.pid } };
  const root =
    link === null
      ? null
      : { liveness: new LivenessTable(link.liveness), brokerPort: link.brokerPort, syncPort: link.syncPort, syncFlag: link.syncFlag };
  root?.brokerPort.unref();
  root?.syncPort.unref();
  const rt = installChildRuntime(boot, root);
  const name = boot.self.name;

  let proc: Process;
  try {
    const sidecars = payload.sidecars;
    const part = (bytes: Uint8Array, sidecar: Sidecar | null | undefined): Promise<unknown> =>
      decodeAsync(bytes, sidecar ?? undefined);
    if (payload.process !== null) {
      proc = (await part(payload.process, sidecars?.process)) as Process;
    } else {
      const target = payload.target === null ? null : ((await part(payload.target, sidecars?.target)) as Process['run']);
      const args = (await part(payload.args, sidecars?.args)) as unknown[];
      proc = makeProcessObject(Process.prototype, {
        target,
        args,
        name,
        identity: boot.self.identity,
        daemon: boot.daemon,
        authkey: boot.authkey,
        method: boot.method,
        popen: null,
        closed: false,
        owner: rt.token,
        parentPid: boot.parent.pid,
        role: 'current',
        childToken: 0,
      });
    }
  } catch (error) {
    channel.stderr(`Process ${name}:\n${describeError(error)}\n`);
    return channel.exit(1);
  }
  const state = proc[kState];
  state.role = 'current';
  state.owner = rt.token;
  state.name = name;
  state.parentPid = boot.parent.pid;
  state.authkey = boot.authkey;
  rt.current = proc;
  channel.post({ t: 'started' });

  let code = 0;
  try {
    await proc.run();
  } catch (error) {
    code = 1;
    channel.stderr(`Process ${rt.self.name}:\n${describeError(error)}\n`);
  }
  try {
    await exitFunction(rt);
  } catch (error) {
    channel.stderr(`Process ${rt.self.name}: error while exiting:\n${describeError(error)}\n`);
  }
  return channel.exit(code);
}
