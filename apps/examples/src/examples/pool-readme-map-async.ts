// The README of multiprocess (seed 003): offload tasks to a pool of 4 workers with map_async.
//   >>> p = Pool(4)
//   >>> result = p.map_async(f, range(10))
//   >>> print (result.get(timeout=1))
//   [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
import { Pool } from 'multiprocess';

function f(x: number): number {
  return x * x;
}

const p = new Pool(4);
// In the REPL the workers start while the next line is typed; here, wait until one is up, so
// that the 1-second timeout below measures the work, not the start of 4 workers.
await p.apply(f, [0]);
const result = p.mapAsync(f, Array.from({ length: 10 }, (_, i) => i));
console.log(`[${(await result.get(1000)).join(', ')}]`);
p.close();
await p.join();
