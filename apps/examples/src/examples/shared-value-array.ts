// Sharing state between processes (seed 003, Python's docs example of Value and Array): the child
// writes a double and negates every element of an int array; the parent sees both.
import { Process, SharedArray, Value } from 'multiprocess';

function f(n: Value<'d'>, a: SharedArray<'i'>): void {
  n.value = 3.1415927;
  for (let i = 0; i < a.length; i++) a.set(i, -a.get(i));
}

const num = new Value('d', 0.0);
const arr = new SharedArray('i', Array.from({ length: 10 }, (_, i) => i)); // Python: Array('i', range(10))

const p = new Process({ target: f, args: [num, arr] });
await p.start();
await p.join();

console.log(num.value);
console.log(`[${arr.slice().join(', ')}]`); // Python: print(arr[:])
