/**
 * Helpers of BaseManager: the per-class type registries, option parsing, and watching the server
 * process while it starts.
 */
import { Pipe } from '@mp/connection';
import { type BaseContext, currentProcess, DefaultContext, getAllStartMethods, getContext, getStartMethod, type Process, ProcessError, type StartMethod, ValueError } from '@mp/context';
import { contextMethod } from '@mp/context/spi';
import type { Address } from './address.js';
import type { Registry, TypeSpec } from './registry.js';
import { runManagerServer, type StartReport } from './server-main.js';

/** Registries by manager class: a class has its own once something is registered on it. */
export const registries = new WeakMap<Function, Registry>();

/** The registry in effect for a manager class (its own, or its nearest ancestor's). */
export function registryOf(cls: Function): Registry {
  for (let c: unknown = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const own = registries.get(c as Function);
    if (own !== undefined) return own;
  }
  return new Map();
}

export function toKey(authkey: Uint8Array | string | null | undefined): Uint8Array {
  if (authkey === undefined || authkey === null) return currentProcess().authkey;
  if (typeof authkey === 'string') return new TextEncoder().encode(authkey);
  if (authkey instanceof Uint8Array) return authkey;
  throw new TypeError('authkey must be a Uint8Array/Buffer or a string');
}

/**
 * The start method of a manager's server: the given one, else the default context's (as
 * Python's `Manager()` uses its context's), without fixing the default as `getStartMethod()` would.
 */
export function methodOf(ctx: BaseContext | StartMethod | null | undefined): StartMethod {
  if (ctx === undefined || ctx === null || ctx instanceof DefaultContext) return getStartMethod(true) ?? getAllStartMethods()[0] ?? 'thread';
  if (typeof ctx === 'string') {
    if (ctx !== 'thread' && ctx !== 'spawn') throw new ValueError(`cannot start a manager's server with start method ${JSON.stringify(ctx)}: use 'thread' or 'spawn'`);
    return ctx;
  }
  return contextMethod(ctx);
}

/** Rejects when `process` has exited (polled; `stop()` ends the polling). */
function exited(process: Process): { promise: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (process.exitCode !== null) {
        clearInterval(timer);
        reject(new ProcessError(`the manager's server process exited (exit code ${process.exitCode}) before it was ready; see its error output above`));
      }
    }, 50);
    timer.unref();
  });
  promise.catch(() => {});
  return { promise, stop: () => clearInterval(timer) };
}


/**
 * Starts a manager's server process (daemon, named `<ManagerClass>-N` as Python does) and waits
 * for it to listen; resolves with its address, or rejects with what went wrong there (the
 * initializer's error, EADDRINUSE...). `onProcess` receives the Process as soon as it exists.
 */
export async function launchServer(
  method: StartMethod,
  className: string,
  [specs, address, authkey, initializer, initargs]: [Map<string, TypeSpec>, Address | null, Uint8Array, ((...args: never[]) => unknown) | null, readonly unknown[]],
  shutdownTimeout: number,
  onProcess: (process: Process) => void,
): Promise<{ address: Address }> {
  const [reader, writer] = Pipe(false, { method });
  const process = getContext(method).Process({
    target: runManagerServer,
    args: [specs, address, authkey, writer, initializer, initargs] as never,
    daemon: true,
  });
  process.name = `${className}-${process.name.replace(/^[^-]*-/, '')}`;
  onProcess(process);
  let report: StartReport;
  const death = exited(process);
  try {
    await process.start();
    writer.close();
    report = await Promise.race([reader.recv<StartReport>(), death.promise]);
  } finally {
    death.stop();
    reader.close();
  }
  if (!report.ok) {
    await process.join(shutdownTimeout);
    throw report.error;
  }
  return { address: report.address };
}
