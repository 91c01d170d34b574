import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** 0..n-1, Python's `range(n)`. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the garbage collector (and the finalizers it schedules). */
export async function gc(): Promise<void> {
  collect();
  await sleep(20);
  collect();
  await sleep(20);
}

/** Polls an async check until it is true or `timeoutMs` passes. */
export async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}
