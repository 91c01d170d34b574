// Basic Queue communication: a producer process puts items, a consumer process takes them until
// it sees the `null` that marks the end.
import { Process, Queue } from 'multiprocess';

async function producer(q: Queue<string | null>, items: string[]): Promise<void> {
  for (const item of items) {
    console.log(`Producing ${item}`);
    await q.put(item);
  }
  await q.put(null); // signal completion
}

async function consumer(q: Queue<string | null>): Promise<void> {
  for (;;) {
    const item = await q.get();
    if (item === null) break;
    console.log(`Consuming ${item}`);
  }
}

const queue = new Queue<string | null>();
const itemsToProduce = ['item1', 'item2', 'item3', 'item4'];
const prod = new Process({ target: producer, args: [queue, itemsToProduce] });
const cons = new Process({ target: consumer, args: [queue] });

await prod.start();
await cons.start();

await prod.join();
await cons.join();
