// Condition variable coordination (seed: "Condition Variable Coordination"): two consumers wait
// on a condition until the producer has made an item.
//
// The seed keeps the items in a plain Python list, which each process copies: the consumers never
// see the producer's items. Here the shared state is itself shared: two semaphores used as
// counters — `produced` (items made so far) and `taken` (items consumed so far) — read and
// changed only while holding the condition's lock.
import { Condition, Process, Semaphore } from 'multiprocess';

async function consumer(condition: Condition, produced: Semaphore, taken: Semaphore, consumerId: number): Promise<void> {
  await condition.withLock(async () => {
    while (produced.getValue() === taken.getValue()) {
      console.log(`Consumer ${consumerId} waiting`);
      await condition.wait();
    }
    const item = `item-${taken.getValue()}`;
    taken.release();
    console.log(`Consumer ${consumerId} consumed ${item}`);
  });
}

async function producer(condition: Condition, produced: Semaphore): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await condition.withLock(() => {
      const item = `item-${i}`;
      produced.release();
      console.log(`Produced ${item}`);
      condition.notify();
    });
  }
}

const condition = new Condition();
const produced = new Semaphore(0);
const taken = new Semaphore(0);

// Create consumer processes
const consumers: Process[] = [];
for (let i = 0; i < 2; i++) {
  consumers.push(new Process({ target: consumer, args: [condition, produced, taken, i] }));
}

// Create producer process
const prod = new Process({ target: producer, args: [condition, produced] });
await Promise.all([...consumers, prod].map((p) => p.start())); // start them all at once

await prod.join();
for (const p of consumers) await p.join();
