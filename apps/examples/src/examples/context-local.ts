// A process- and thread-safe threading.local() (seed 002, multiprocessing_utils): what is set on
// it is seen only where it was set. A thread-started and a spawned child both get it empty,
// even though it is passed to them.
import { getContext, local } from 'multiprocess';

const l = local<{ x: number }>();
l.x = 1;

function f(l: { x?: number }): void {
  console.log(l.x === undefined ? 'x not set' : String(l.x));
}

f(l); // prints "1"
for (const method of ['thread', 'spawn'] as const) {
  const p = new (getContext(method).Process)({ target: f, args: [l] });
  await p.start(); // prints "x not set"
  await p.join();
}
