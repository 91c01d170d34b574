import { getContext, type Process } from '@mp/context';

export type Method = 'thread' | 'spawn';

/** Starts a child of `method` running `target(...args)`; register it for cleanup with `started`. */
export async function start(method: Method, target: (...args: never[]) => unknown, args: unknown[], started: Process[]): Promise<Process> {
  const p = getContext(method).Process({ target, args } as never) as Process;
  started.push(p);
  await p.start();
  return p;
}

/** Starts, joins (with a timeout) and returns the exit code. */
export async function run(method: Method, target: (...args: never[]) => unknown, args: unknown[], started: Process[], timeoutMs = 30_000): Promise<number | null> {
  const p = await start(method, target, args, started);
  await p.join(timeoutMs);
  return p.exitCode;
}

/** Python's TIMEOUT1/2/3 of _test_multiprocessing, in ms. */
export const TIMEOUT1 = 100;
export const TIMEOUT2 = 100;
export const TIMEOUT3 = 100;
