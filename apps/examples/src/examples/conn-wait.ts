// wait() over several connections (seed 001, "wait"): three children each send a few results on
// their own one-way Pipe; the parent handles whichever pipe is ready, until every one is closed.
import { type Connection, EOFError, Pipe, Process, wait } from 'multiprocess';

async function worker(conn: Connection, id: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10 + 20 * ((id + i) % 3)));
    conn.send(`worker ${id} result ${i}`);
  }
  conn.close();
}

const readers: Connection[] = [];
const processes: Process[] = [];
for (let id = 0; id < 3; id++) {
  const [reader, writer] = Pipe(false);
  readers.push(reader);
  processes.push(new Process({ target: worker, args: [writer, id] }));
}
await Promise.all(processes.map((p) => p.start()));

let received = 0;
while (readers.length > 0) {
  for (const reader of await wait(readers)) {
    try {
      console.log(await reader.recv<string>());
      received++;
    } catch (error) {
      if (!(error instanceof EOFError)) throw error;
      readers.splice(readers.indexOf(reader), 1); // that worker is done
      reader.close();
    }
  }
}
for (const p of processes) await p.join();
console.log(`received ${received} results`);
