// What a Python pool cannot do: a task that kills its worker fails alone (WorkerDiedError) and the
// pool replaces the worker; a task that runs too long is timed out (its AbortSignal fires first,
// then its worker is replaced if it does not stop); the other tasks are not disturbed.
import { Pool, taskSignal, TimeoutError, WorkerDiedError } from 'multiprocess';

await using pool = new Pool(2);

const results = await Promise.allSettled(
  [1, 2, 3, 4].map((x) =>
    pool.apply((n: number) => {
      if (n === 3) process.exit(42); // this task takes its worker down
      return n * 10;
    }, [x]),
  ),
);
for (const r of results) {
  if (r.status === 'fulfilled') console.log(`result ${r.value}`);
  else if (r.reason instanceof WorkerDiedError) console.log(`worker died: exit code ${r.reason.exitCode}, task ${r.reason.task?.kind} #${r.reason.task?.index}`);
}

// A task that watches its signal stops by itself when its timeout passes.
const polite = () =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => resolve('finished'), 60_000);
    taskSignal().addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('stopped early'));
    });
  });
try {
  await pool.apply(polite, [], { timeout: 200 });
} catch (error) {
  if (error instanceof TimeoutError) console.log('timed out after 200 ms');
}
console.log(`pool still works: ${await pool.apply((a: number, b: number) => a + b, [20, 22])}`);
