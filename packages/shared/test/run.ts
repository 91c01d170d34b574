// Test helper: run a target in a child of the given start method and give back its exit code.
import { getContext, type Process } from '@mp/context';

export type Method = 'thread' | 'spawn';

export async function run(method: Method, target: (...args: never[]) => unknown, args: unknown[], timeoutMs = 60_000): Promise<number | null> {
  const p = getContext(method).Process({ target, args } as never) as Process;
  await p.start();
  await p.join(timeoutMs);
  if (p.exitCode === null) p.kill();
  return p.exitCode;
}

/** Starts several children at once and waits for all; their exit codes. */
export async function runAll(method: Method, target: (...args: never[]) => unknown, argsList: unknown[][], timeoutMs = 120_000): Promise<Array<number | null>> {
  const ps = argsList.map((args) => getContext(method).Process({ target, args } as never) as Process);
  await Promise.all(ps.map((p) => p.start()));
  await Promise.all(ps.map((p) => p.join(timeoutMs)));
  for (const p of ps) if (p.exitCode === null) p.kill();
  return ps.map((p) => p.exitCode);
}
