// The README example of multiprocess: a child puts a greeting on a Queue, the parent prints it.
import { Process, Queue } from 'multiprocess';

function f(q: Queue<string>): Promise<void> {
  return q.put('hello world');
}

const q = new Queue<string>();
const p = new Process({ target: f, args: [q] });
await p.start();
console.log(await q.get());
await p.join();
