// The Condition of the multiprocess README (seed 003): a Condition prints its lock's owner and
// how many are waiting, as Python's repr does.
import { Condition } from 'multiprocess';

const c = new Condition();
console.log(String(c));
console.log(await c.acquire());
console.log(String(c));
c.release();
console.log(String(c));
