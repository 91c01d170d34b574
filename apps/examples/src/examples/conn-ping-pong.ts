// Bidirectional Pipe (seed 001, "Bidirectional Pipe Communication"): two children play ping-pong
// over the two ends of one duplex Pipe. (The seed sleeps 0.5 s per round; 50 ms here.)
import { type Connection, Pipe, Process } from 'multiprocess';

async function pingPong(conn: Connection, name: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (name === 'ping') {
      const msg = `ping-${i}`;
      conn.send(msg);
      console.log(`Sent: ${msg}`);
      const response = await conn.recv<string>();
      console.log(`Received: ${response}`);
    } else {
      const request = await conn.recv<string>();
      console.log(`Received: ${request}`);
      const msg = `pong-${i}`;
      conn.send(msg);
      console.log(`Sent: ${msg}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const [conn1, conn2] = Pipe(true);
const p1 = new Process({ target: pingPong, args: [conn1, 'ping', 3] });
const p2 = new Process({ target: pingPong, args: [conn2, 'pong', 3] });

await p1.start();
await p2.start();
await p1.join();
await p2.join();
