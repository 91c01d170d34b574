// Basic lock usage (seed: "Basic Lock Usage"): three processes take turns holding one lock.
import { Lock, Process } from 'multiprocess';

async function worker(lock: Lock, workerId: number): Promise<void> {
  await lock.withLock(async () => {
    console.log(`Worker ${workerId} acquired lock`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // simulate work
    console.log(`Worker ${workerId} releasing lock`);
  });
}

// Shared lock
const lock = new Lock();

// Create processes
const processes: Process[] = [];
for (let i = 0; i < 3; i++) {
  processes.push(new Process({ target: worker, args: [lock, i] }));
}
await Promise.all(processes.map((p) => p.start())); // start them all at once

for (const p of processes) await p.join();
