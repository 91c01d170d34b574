// SharedLock (seed 002, multiprocessing_utils): readers hold the lock shared, many at once; a
// writer holds it exclusive, alone. Each reader counts itself in and out of a shared Value while
// it reads; a writer checks that count, so if a reader were ever inside during a write, the
// writer would print a count above 0.
import { Barrier, Process, SharedLock, Value } from 'multiprocess';

async function sharedWorker(lock: SharedLock, inside: Value<'i'>, peak: Value<'i'>, start: Barrier, id: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await start.wait(); // readers begin together, however slowly their processes started
  for (let round = 0; round < 3; round++) {
    await lock.withLock(async () => {
      // this code runs so long as no process holds the lock exclusively
      const now = await inside.withLock(() => ++inside.value);
      await peak.withLock(() => void (peak.value = Math.max(peak.value, now)));
      await sleep(40);
      await inside.withLock(() => inside.value--);
    });
    await sleep(10);
  }
  console.log(`reader ${id} done`);
}

async function exclusiveWorker(lock: SharedLock, inside: Value<'i'>, id: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let round = 0; round < 2; round++) {
    await sleep(30);
    await lock.exclusive(async () => {
      // this code runs only when no other process holds the lock in any mode
      console.log(`writer ${id} writing, readers inside: ${inside.value}`);
      await sleep(20);
    });
  }
}

const lock = new SharedLock();
const inside = new Value('i', 0);
const peak = new Value('i', 0);
const start = new Barrier(3);
const readers = [0, 1, 2].map((id) => new Process({ target: sharedWorker, args: [lock, inside, peak, start, id] }));
const writers = [0, 1].map((id) => new Process({ target: exclusiveWorker, args: [lock, inside, id] }));
const all = [...readers, ...writers];
await Promise.all(all.map((p) => p.start()));
for (const p of all) await p.join();
console.log(`readers were inside together: ${peak.value > 1 ? 'yes' : 'no'}`);
console.log(`exit codes ${all.map((p) => p.exitCode).join(' ')}`);
