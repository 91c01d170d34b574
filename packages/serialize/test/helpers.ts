import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { dumps, loads } from '@mp/serialize';

export const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** Reject if `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A job for the runner fixtures: `fn(...args)` is called in the other process. */
export interface Job {
  fn: Function;
  args?: unknown[];
}

/** A real worker thread or child process that decodes jobs, runs them, and answers. */
export interface Runner {
  /** Run `job` remotely; resolves with its result, rejects with the (revived) remote error. */
  call<T = unknown>(job: Job | Uint8Array, options?: { sync?: boolean }): Promise<T>;
  close(): Promise<void>;
}

function makeRunner(send: (msg: object) => void, replies: (cb: (bytes: Uint8Array) => void) => void, close: () => Promise<void>, onFailure: (cb: (e: Error) => void) => void): Runner {
  let pending: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void } | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  replies((bytes) => pending?.resolve(bytes));
  onFailure((e) => pending?.reject(e));
  return {
    call<T>(job: Job | Uint8Array, options: { sync?: boolean } = {}): Promise<T> {
      const bytes = job instanceof Uint8Array ? job : dumps(job);
      const result = chain.then(async () => {
        const reply = new Promise<Uint8Array>((resolve, reject) => {
          pending = { resolve, reject };
        });
        send({ bytes, sync: options.sync === true });
        const answer = loads<{ ok: boolean; result?: T; error?: unknown }>(await withTimeout(reply, 20_000, 'remote job'));
        if (!answer.ok) throw answer.error;
        return answer.result as T;
      });
      chain = result.catch(() => undefined);
      return result;
    },
    close,
  };
}

export async function startThread(): Promise<Runner> {
  const worker = new Worker(fixture('runner-worker.mjs'));
  return makeRunner(
    (msg) => worker.postMessage(msg),
    (cb) => worker.on('message', cb),
    async () => {
      await withTimeout(worker.terminate(), 10_000, 'worker.terminate()');
    },
    (cb) => {
      worker.on('error', cb);
      worker.on('exit', (code) => cb(new Error(`worker exited with code ${code}`)));
    },
  );
}

export async function startChild(): Promise<Runner> {
  const child: ChildProcess = fork(fixture('runner-child.mjs'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return makeRunner(
    (msg) => child.send(msg),
    (cb) => child.on('message', (m) => cb(m as Uint8Array)),
    async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await withTimeout(exited, 10_000, 'child exit');
    },
    (cb) => child.on('exit', (code, signal) => cb(new Error(`child exited (${code ?? signal})`))),
  );
}

/** Round trip through dumps/loads. */
export const roundTrip = <T>(value: T): T => loads<T>(dumps(value));

/**
 * Structural equality that also checks that the *sharing* is the same: objects of `a` map one to
 * one onto objects of `b` (so cycles and shared references must be preserved), primitives compare
 * with Object.is, prototypes must match by constructor name.
 */
export function sameGraph(a: unknown, b: unknown, map = new Map<unknown, unknown>(), back = new Map<unknown, unknown>()): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    if (typeof a === 'function' || typeof b === 'function') return typeof a === typeof b;
    return Object.is(a, b);
  }
  if (map.has(a) || back.has(b)) return map.get(a) === b && back.get(b) === a;
  map.set(a, b);
  back.set(b, a);
  const pa = Object.getPrototypeOf(a) as { constructor?: { name?: string } } | null;
  const pb = Object.getPrototypeOf(b) as { constructor?: { name?: string } } | null;
  if ((pa === null) !== (pb === null) || pa?.constructor?.name !== pb?.constructor?.name) return false;
  if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags && a.lastIndex === (b as RegExp).lastIndex;
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array((b as ArrayBufferView).buffer, (b as ArrayBufferView).byteOffset, (b as ArrayBufferView).byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (a instanceof Map) {
    const eb = [...(b as Map<unknown, unknown>)];
    const ea = [...a];
    return ea.length === eb.length && ea.every(([k, v], i) => sameGraph(k, eb[i]![0], map, back) && sameGraph(v, eb[i]![1], map, back));
  }
  if (a instanceof Set) {
    const vb = [...(b as Set<unknown>)];
    const va = [...a];
    return va.length === vb.length && va.every((v, i) => sameGraph(v, vb[i], map, back));
  }
  const ka = Reflect.ownKeys(a).filter((k) => Object.getOwnPropertyDescriptor(a, k)?.enumerable);
  const kb = Reflect.ownKeys(b).filter((k) => Object.getOwnPropertyDescriptor(b, k)?.enumerable);
  if (Array.isArray(a) && (a.length !== (b as unknown[]).length)) return false;
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameGraph((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k], map, back));
}
