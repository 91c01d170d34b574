// The Manager example of multiprocess's README: a list in a server process, reversed, printed.
//
//   >>> manager = Manager()
//   >>> l = manager.list(range(10))
//   >>> l.reverse()
//   >>> print (l)
//   [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
//   >>> print (repr(l))
//   <Proxy[list] object at 0x00E1B3B0>
import { Manager } from 'multiprocess';

await using manager = await Manager();
const l = await manager.list(Array.from({ length: 10 }, (_, i) => i));
await l.reverse();
console.log(await l.str()); // print(l): the list's own text, read from the server
console.log(String(l)); // repr(l): the proxy (Python 3 spells it <ListProxy object, typeid 'list' at 0x...>)
