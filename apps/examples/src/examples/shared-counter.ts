// A counter shared by several processes: `with counter.get_lock(): counter.value += 1` is
// `await counter.withLock(() => { counter.value += 1; })`. Without the lock, increments get lost.
import { Process, Value } from 'multiprocess';

async function work(counter: Value<'i'>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await counter.withLock(() => {
      counter.value += 1;
    });
  }
}

const counter = new Value('i', 0);
const processes = Array.from({ length: 4 }, () => new Process({ target: work, args: [counter, 250] }));
for (const p of processes) await p.start();
for (const p of processes) await p.join();

console.log(`counter = ${counter.value}`);
console.log(String(counter));
