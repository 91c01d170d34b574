// imap over an endless input: the input is read lazily, a few chunks ahead of the consumer,
// and stops being read when the loop stops (no Node pool, and not Python's, does this).
import { Pool } from 'multiprocess';

let read = 0;
function* naturals(): Generator<number> {
  for (let n = 1; ; n++) {
    read = n;
    yield n;
  }
}

await using pool = new Pool(2);
const collatzSteps = (n: number): number => {
  let steps = 0;
  for (let x = n; x !== 1; x = x % 2 === 0 ? x / 2 : 3 * x + 1) steps++;
  return steps;
};

let n = 0;
for await (const steps of pool.imap(collatzSteps, naturals(), 10)) {
  n++;
  if (steps > 200) {
    console.log(`first number needing more than 200 Collatz steps: ${n} (${steps} steps)`);
    break;
  }
}
console.log(read - n <= 100 ? 'the input was read at most 100 numbers ahead' : `the input was read ${read - n} numbers ahead`);
