import { kState, makeProcessObject, Process } from './process.js';
import { runtime } from './internal/runtime.js';

/**
 * The Process object of the running process (Python's `current_process()`): named `MainProcess`
 * in the main thread of the program, `Process-1`, `Process-1:2`, … in children.
 *
 * @example
 * ```ts
 * console.log(currentProcess().name); // MainProcess
 * ```
 */
export function currentProcess(): Process {
  const rt = runtime();
  if (rt.current === null) {
    rt.current = makeProcessObject(Process.prototype, {
      target: null,
      args: [],
      name: rt.self.name,
      identity: rt.self.identity,
      daemon: rt.daemon,
      authkey: rt.authkey,
      method: null,
      popen: null,
      closed: false,
      owner: rt.token,
      parentPid: rt.parent?.pid ?? process.ppid,
      role: 'current',
      childToken: 0,
    });
  }
  return rt.current as Process;
}

let parent: Process | null = null;

/**
 * The parent of the running process, or null in the main process (Python's `parent_process()`).
 * It has `name`, `pid`, `isAlive()` and `join(timeout)`.
 *
 * @example
 * ```ts
 * const p = new Process({ target: () => console.log(parentProcess()?.name) }); // MainProcess
 * ```
 */
export function parentProcess(): Process | null {
  const rt = runtime();
  if (rt.parent === null) return null;
  if (parent === null || parent[kState].name !== rt.parent.name) {
    parent = makeProcessObject(Process.prototype, {
      target: null,
      args: [],
      name: rt.parent.name,
      identity: rt.parent.identity,
      daemon: false,
      authkey: rt.authkey,
      method: null,
      popen: null,
      closed: false,
      owner: -1,
      parentPid: rt.parent.pid,
      role: 'parent',
      childToken: 0,
    });
  }
  return parent;
}

/**
 * The children of this process that are still running (Python's `active_children()`); finished
 * children are forgotten as a side effect, as in Python.
 *
 * @example
 * ```ts
 * await p.start();
 * console.log(activeChildren().includes(p)); // true
 * ```
 */
export function activeChildren(): Process[] {
  const rt = runtime();
  const alive: Process[] = [];
  for (const child of rt.children as Set<Process>) {
    const state = child[kState];
    if (state.closed || (state.popen !== null && state.popen.exitCode !== null)) rt.children.delete(child);
    else alive.push(child);
  }
  return alive;
}
