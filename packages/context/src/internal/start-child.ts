/**
 * The parent's half of starting a child: serialize what the child needs, pick the start method,
 * give the child a liveness token, and keep the bookkeeping (children set, dead tokens).
 */
import { encode } from '@mp/serialize/spi';
import type { Process, ProcessState } from '../process.js';
import { remoteClient } from './broker/client.js';
import { ensureBroker } from './broker/launch.js';
import { actualStartMethod } from './default-method.js';
import type { ChildPayload, Popen } from './popen/popen.js';
import { SpawnPopen } from './popen/spawn-popen.js';
import { ThreadPopen } from './popen/thread-popen.js';
import { runtime, type BootInfo } from './runtime.js';

function allocateToken(): number {
  const rt = runtime();
  if (rt.root !== null) return rt.root.liveness.allocate(rt.token);
  if (rt.brokerDir !== null) return remoteClient().callSync(['token', rt.token]) as number;
  return 0;
}

function releaseToken(token: number): void {
  if (token === 0) return;
  const rt = runtime();
  if (rt.root !== null) rt.root.liveness.markDead(token);
  else if (rt.brokerDir !== null) {
    try {
      remoteClient().send(['dead', token]);
    } catch {
      // the broker is gone with the root process: nothing left to release
    }
  }
}

/**
 * Starts the child of `proc` and returns its popen. Throws (synchronously) on serialization
 * errors. `subclass`: the object's class overrides Process, so the object itself is sent.
 */
export function startChild(proc: Process, state: ProcessState, subclass: boolean): Popen {
  const rt = runtime();
  const method = state.method ?? actualStartMethod();
  // A thread child shares memory and takes MessagePorts; a spawn child only takes socket handles.
  const sidecar = method === 'thread' ? true : { shared: false, transfer: true };

  const target = !subclass && state.target !== null ? encode(state.target, { root: 'target', sidecar }) : null;
  const args = subclass ? null : encode(state.args, { root: 'args', sidecar });
  const object = subclass ? encode(proc, { root: 'process', sidecar }) : null;

  if (rt.kind === 'main') ensureBroker();
  const token = allocateToken();
  const boot: BootInfo = {
    method,
    self: { name: state.name, pid: 0, identity: state.identity },
    parent: { name: rt.self.name, pid: process.pid, identity: rt.self.identity },
    authkey: state.authkey,
    brokerKey: rt.brokerKey,
    daemon: state.daemon,
    token,
    defaultMethod: rt.defaultMethod,
    executable: rt.executable,
    brokerDir: rt.brokerDir,
    rootPid: rt.rootPid,
  };
  const payload: ChildPayload = {
    boot,
    target: target?.bytes ?? null,
    args: args?.bytes ?? encode([]).bytes,
    process: object?.bytes ?? null,
    sidecars: method === 'thread' ? { target: target?.sidecar ?? null, args: args?.sidecar ?? null, process: object?.sidecar ?? null } : null,
    handles: method === 'spawn' ? { target: target?.sidecar.transfer.length ?? 0, args: args?.sidecar.transfer.length ?? 0, process: object?.sidecar.transfer.length ?? 0 } : null,
  };
  const transfer = [target, args, object].flatMap((part) => (part ? (part.sidecar.transfer as object[]) : []));
  const options = {
    payload,
    transfer,
    name: state.name,
    executable: rt.executable,
    onStderr: (text: string) => void process.stderr.write(text),
  };
  let popen: Popen;
  try {
    popen = method === 'thread' ? new ThreadPopen(options) : new SpawnPopen(options);
  } catch (error) {
    releaseToken(token);
    throw error;
  }
  state.childToken = token;
  rt.children.add(proc);
  void popen.exited.then(() => releaseToken(token));
  if (state.daemon) popen.unref();
  return popen;
}
