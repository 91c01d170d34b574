// Barrier synchronization (seed: "Barrier Synchronization"): three processes work, meet at a
// barrier, then start phase 2 together.
import { Barrier, Process } from 'multiprocess';

async function worker(barrier: Barrier, workerId: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // Phase 1: individual work
  const workTime = 0.1 + Math.random() * 0.3;
  console.log(`Worker ${workerId} working for ${workTime.toFixed(1)} seconds`);
  await sleep(workTime * 1000);

  console.log(`Worker ${workerId} finished phase 1, waiting at barrier`);
  try {
    const index = await barrier.wait(10_000);
    if (index === 0) console.log('All workers completed phase 1!'); // first process to cross
  } catch (e) {
    console.log(`Worker ${workerId} barrier error: ${String(e)}`);
    return;
  }

  // Phase 2: synchronized work
  console.log(`Worker ${workerId} starting phase 2`);
  await sleep(100);
  console.log(`Worker ${workerId} completed phase 2`);
}

// Create barrier for 3 workers
const barrier = new Barrier(3);

// Create worker processes
const processes: Process[] = [];
for (let i = 0; i < 3; i++) {
  processes.push(new Process({ target: worker, args: [barrier, i] }));
}
await Promise.all(processes.map((p) => p.start())); // start them all at once

for (const p of processes) await p.join();
