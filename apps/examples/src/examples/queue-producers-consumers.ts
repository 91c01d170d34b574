// Multiple producers and consumers on one Queue. Consumers stop when no item came for a while
// (get with a timeout rejects with Empty).
import { Empty, Process, Queue } from 'multiprocess';

async function producer(q: Queue<string>, producerId: number, numItems: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let i = 0; i < numItems; i++) {
    const item = `Producer-${producerId}-Item-${i}`;
    await q.put(item);
    console.log(`Produced: ${item}`);
    await sleep(10 + Math.random() * 40);
  }
}

async function consumer(q: Queue<string>, consumerId: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (;;) {
    try {
      const item = await q.get(true, 1000);
      console.log(`Consumer-${consumerId} consumed: ${item}`);
      await sleep(20 + Math.random() * 60);
    } catch (error) {
      if (!(error instanceof Empty)) throw error;
      console.log(`Consumer-${consumerId} timed out, exiting`);
      break;
    }
  }
}

const queue = new Queue<string>();

const producers: Process[] = [];
for (let i = 0; i < 2; i++) {
  const p = new Process({ target: producer, args: [queue, i, 5] });
  await p.start();
  producers.push(p);
}

const consumers: Process[] = [];
for (let i = 0; i < 3; i++) {
  const p = new Process({ target: consumer, args: [queue, i] });
  await p.start();
  consumers.push(p);
}

for (const p of producers) await p.join();
for (const p of consumers) await p.join();
