// A manager reached over the network: this program serves shared state at a TCP address with an
// authkey, and a second program (manager-remote-client.ts), which knows only the address and the
// key, connects, reads and writes it. (On two machines: bind ['0.0.0.0', 50000] here and give the
// client this machine's address; see the README of @mp/manager for the firewall and what travels
// in clear.)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BaseManager, DictProxy } from 'multiprocess';

// The state lives in this process: getServer() runs the registered callables here.
const state = new Map<string, unknown>([['greeting', 'hello from the server']]);
class RemoteManager extends BaseManager {}
RemoteManager.register('getState', () => state, { proxytype: DictProxy });

const authkey = randomBytes(16).toString('hex');
const server = new RemoteManager({ address: ['127.0.0.1', 0], authkey }).getServer();
await server.ready;
const [host, port] = server.address as [string, number];
console.log('server: listening on a TCP port with an authkey');
const serving = server.serveForever();

const client = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./manager-remote-client.ts', import.meta.url)), host, String(port), authkey], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const code = await new Promise<number | null>((resolve) => client.on('exit', resolve));
console.log(`server: the client exited with code ${code}`);
console.log(`server: state is now ${JSON.stringify(Object.fromEntries(state))}`);
server.close();
await serving;
