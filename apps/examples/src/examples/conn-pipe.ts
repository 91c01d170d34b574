// Pipe communication (seed 001, "Pipe Communication"): one child sends messages into one end of a
// Pipe, another child receives them from the other end. (The seed's `args=(child_conn)` lacks the
// tuple comma; the intent is one argument, the connection.) Both children start in the same tick:
// each end goes straight to its process.
import { type Connection, Pipe, Process } from 'multiprocess';

function sender(conn: Connection, messages: string[]): void {
  for (const msg of messages) {
    console.log(`Sending: ${msg}`);
    conn.send(msg);
  }
  conn.send('DONE');
  conn.close();
}

async function receiver(conn: Connection): Promise<void> {
  for (;;) {
    const msg = await conn.recv<string>();
    console.log(`Received: ${msg}`);
    if (msg === 'DONE') break;
  }
  conn.close();
}

const [parentConn, childConn] = Pipe();
const messages = ['Hello', 'World', 'From', 'Pipe'];
const p1 = new Process({ target: sender, args: [parentConn, messages] });
const p2 = new Process({ target: receiver, args: [childConn] });

await Promise.all([p1.start(), p2.start()]);
await p1.join();
await p2.join();
console.log(`exit codes ${p1.exitCode} ${p2.exitCode}`);
