import { getContext, type Process } from '@mp/context';

export type Method = 'thread' | 'spawn';

/** Children started by a test file, reaped in afterAll/afterEach. */
export const started: Process[] = [];

/** Starts `target(...args)` in a child of `method` (not awaited: use `join`). */
export async function start(method: Method, target: (...args: never[]) => unknown, args: unknown[] = []): Promise<Process> {
  const p = getContext(method).Process({ target, args } as never) as Process;
  started.push(p);
  await p.start();
  return p;
}

/** Starts `n` children running `target(...args)`, all at once. */
export function startMany(method: Method, n: number, target: (...args: never[]) => unknown, args: unknown[] = []): Promise<Process[]> {
  return Promise.all(Array.from({ length: n }, () => start(method, target, args)));
}

/** Runs `target(...args)` in a child to completion; returns its exit code. */
export async function run(method: Method, target: (...args: never[]) => unknown, args: unknown[] = [], timeoutMs = 30_000): Promise<number | null> {
  const p = await start(method, target, args);
  await p.join(timeoutMs);
  return p.exitCode;
}

/** Joins every process (with a timeout) and returns their exit codes. */
export async function joinAll(processes: Process[], timeoutMs = 30_000): Promise<Array<number | null>> {
  for (const p of processes) await p.join(timeoutMs);
  return processes.map((p) => p.exitCode);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
