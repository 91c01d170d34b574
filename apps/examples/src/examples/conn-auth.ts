// Connection with authentication (seed 001, "Connection with Authentication"): a server process
// listens with an authkey and echoes; a client process connects with the same key. Instead of a
// fixed port 6000 and "sleep 0.5 s and hope", the server listens on a free port and reports its
// real address through a Pipe. A third client, with a wrong key, is refused.
import { type Address, Client, type Connection, EOFError, Listener, Pipe, Process } from 'multiprocess';

async function server(authkey: string, report: Connection): Promise<void> {
  const listener = new Listener(['localhost', 0], 'AF_INET', 1, authkey);
  try {
    await listener.ready;
    console.log('Server listening');
    report.send(listener.address);
    const conn = await listener.accept();
    console.log('Connection accepted');
    for (;;) {
      let msg: string;
      try {
        msg = await conn.recv<string>();
      } catch (error) {
        if (error instanceof EOFError) break;
        throw error;
      }
      console.log(`Server received: ${msg}`);
      if (msg === 'quit') break;
      conn.send(`Echo: ${msg}`);
    }
    conn.close();
    // One more client, which has the wrong key: accept() refuses it.
    report.send('next');
    const refused = await listener.accept().catch((error: Error) => error);
    console.log(`Server refused a client: ${(refused as Error).name}`);
  } finally {
    listener.close();
  }
}

async function client(address: Address, authkey: string): Promise<void> {
  const conn = await Client(address, 'AF_INET', authkey);
  for (const msg of ['hello', 'world', 'quit']) {
    conn.send(msg);
    if (msg !== 'quit') console.log(`Client received: ${await conn.recv<string>()}`);
  }
  conn.close();
}

const authkey = 'secret_key';
const [fromServer, toParent] = Pipe();
const serverProcess = new Process({ target: server, args: [authkey, toParent] });
await serverProcess.start();
const address = await fromServer.recv<Address>();

const clientProcess = new Process({ target: client, args: [address, authkey] });
await clientProcess.start();
await clientProcess.join();

await fromServer.recv(); // the server is ready for the next client
const wrong = await Client(address, 'AF_INET', 'wrong key').catch((error: Error) => error);
console.log(`Client with a wrong key: ${(wrong as Error).name}`);
await serverProcess.join();
fromServer.close();
console.log(`exit codes ${serverProcess.exitCode} ${clientProcess.exitCode}`);
