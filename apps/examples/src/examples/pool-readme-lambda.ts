// The README of multiprocess (seed 003): thanks to dill, even a lambda that makes another lambda
// goes to the workers.
//   >>> p = Pool(4)
//   >>> print (p.map(lambda x: (lambda y:y**2)(x) + x, xrange(10)))
//   [0, 2, 6, 12, 20, 30, 42, 56, 72, 90]
import { Pool } from 'multiprocess';

await using p = new Pool(4); // terminated at the end of the scope, as Python's `with Pool(4) as p:`
const squares = await p.map((x: number) => ((y: number) => y ** 2)(x) + x, Array.from({ length: 10 }, (_, i) => i));
console.log(`[${squares.join(', ')}]`);
