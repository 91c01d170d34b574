// A producer/consumer pipeline: a producer puts jobs on a JoinableQueue; three workers price each
// job with the current exchange rate. The rate lives in a SharedArray as two numbers (version,
// rate) that must always agree. Workers read them under the SharedLock's shared mode, all at
// once; the main process updates them under its exclusive mode, pausing halfway between the two
// writes. No worker ever sees a half-updated pair, and `join()` returns once every job is done.
import { JoinableQueue, Process, Queue, type RawSharedArray, SharedArray, SharedLock, withScope } from 'multiprocess';

type Job = { id: number; amount: number } | null;
type Priced = { id: number; worker: number; version: number; consistent: boolean };

const JOBS = 60;
const rateOf = (version: number) => 1 + version / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function worker(jobs: JoinableQueue<Job>, results: Queue<Priced>, lock: SharedLock, rate: RawSharedArray<'d'>, me: number): Promise<void> {
  for (;;) {
    const job = await jobs.get();
    if (job === null) {
      jobs.taskDone();
      return;
    }
    const [version, value] = await lock.withLock(() => [rate.get(0), rate.get(1)]);
    await sleep(5); // the work itself
    await results.put({ id: job.id, worker: me, version, consistent: value === rateOf(version) });
    jobs.taskDone();
  }
}

async function producer(jobs: JoinableQueue<Job>): Promise<void> {
  for (let id = 0; id < JOBS; id++) await jobs.put({ id, amount: id * 10 });
}

const jobs = new JoinableQueue<Job>();
const results = new Queue<Priced>();
const lock = new SharedLock();
const rate = new SharedArray('d', [0, rateOf(0)], { lock: false }); // the SharedLock guards it

const workers = [0, 1, 2].map((me) => new Process({ target: withScope(worker, { sleep, rateOf }), args: [jobs, results, lock, rate, me] }));
const prod = new Process({ target: withScope(producer, { JOBS }), args: [jobs] });
await Promise.all([...workers, prod].map((p) => p.start()));

for (let version = 1; version <= 3; version++) {
  await sleep(30);
  await lock.exclusive(async () => {
    rate.set(0, version);
    await sleep(10); // a reader inside now would see a new version with the old rate
    rate.set(1, rateOf(version));
  });
}

await prod.join();
await jobs.join(); // every job taken and marked done
console.log(`all ${JOBS} jobs done`);
const priced: Priced[] = [];
for (let i = 0; i < JOBS; i++) priced.push(await results.get(true, 10_000));
console.log(`results: ${priced.length}, distinct ids: ${new Set(priced.map((p) => p.id)).size}`);
console.log(`inconsistent reads: ${priced.filter((p) => !p.consistent).length}`);
for (const _ of workers) await jobs.put(null);
for (const p of workers) await p.join();
console.log(`exit codes ${[prod, ...workers].map((p) => p.exitCode).join(' ')}`);
