// Python's "Server process" example: a child changes a dict and a list held by a manager, and the
// parent sees the changes. Dict keys keep their type (1 and '2' and 0.25 stay what they are).
import { type DictProxy, type ListProxy, Manager, Process } from 'multiprocess';

async function f(d: DictProxy<unknown, unknown>, l: ListProxy<number>): Promise<void> {
  await d.set(1, '1');
  await d.set('2', 2);
  await d.set(0.25, null);
  await l.reverse();
}

await using manager = await Manager();
const d = await manager.dict();
const l = await manager.list(Array.from({ length: 10 }, (_, i) => i));
const p = new Process({ target: f, args: [d, l] });
await p.start();
await p.join();
console.log(await d.str());
console.log(await l.str());
