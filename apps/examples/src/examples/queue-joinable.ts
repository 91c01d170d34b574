// JoinableQueue with task tracking: two workers mark each task done; join() returns once all
// five are done, then the workers are told to stop.
import { JoinableQueue, Process } from 'multiprocess';

async function worker(q: JoinableQueue<string | null>): Promise<void> {
  for (;;) {
    const item = await q.get();
    if (item === null) break;
    console.log(`Processing ${item}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // simulate work
    q.taskDone();
  }
}

const q = new JoinableQueue<string | null>();

const workers: Process[] = [];
for (let i = 0; i < 2; i++) {
  const p = new Process({ target: worker, args: [q] });
  await p.start();
  workers.push(p);
}

const tasks = Array.from({ length: 5 }, (_, i) => `task-${i}`);
for (const task of tasks) await q.put(task);

await q.join(); // every task was marked done
console.log('All tasks completed');

for (const _ of workers) await q.put(null);
for (const p of workers) await p.join();
