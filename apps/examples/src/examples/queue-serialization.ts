// Enhanced serialization: an instance of a class that holds a lambda crosses a Queue, and its
// method runs in the child (dill's job in Python, @mp/serialize's here).
import { Process, Queue } from 'multiprocess';

class ComplexObject {
  data = [1, 2, 3, 4, 5];
  constructor(public func: (x: number) => number) {}

  process(): number[] {
    return this.data.map((x) => this.func(x));
  }
}

async function worker(q: Queue<ComplexObject | null>): Promise<void> {
  for (;;) {
    const obj = await q.get();
    if (obj === null) break;
    const result = obj.process();
    console.log(`Worker result: [${result.join(', ')}]`);
  }
}

const complexObj = new ComplexObject((x) => x ** 2); // a lambda inside an instance

const queue = new Queue<ComplexObject | null>();
const p = new Process({ target: worker, args: [queue] });
await p.start();

await queue.put(complexObj); // serialized with its class and its lambda
await queue.put(null); // signal completion

await p.join();
