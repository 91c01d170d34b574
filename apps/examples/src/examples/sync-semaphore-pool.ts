// A semaphore guarding a pool of resources (seed: "Semaphore for Resource Pool"): five processes
// compete for two resources, so at most two use one at a time.
import { Process, Semaphore } from 'multiprocess';

async function useResource(semaphore: Semaphore, workerId: number): Promise<void> {
  console.log(`Worker ${workerId} waiting for resource`);
  await semaphore.withLock(async () => {
    console.log(`Worker ${workerId} acquired resource`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // use the resource
    console.log(`Worker ${workerId} released resource`);
  });
}

// Allow 2 concurrent resource users
const semaphore = new Semaphore(2);

// Create 5 processes competing for 2 resources
const processes: Process[] = [];
for (let i = 0; i < 5; i++) {
  processes.push(new Process({ target: useResource, args: [semaphore, i] }));
}
await Promise.all(processes.map((p) => p.start())); // start them all at once

for (const p of processes) await p.join();
