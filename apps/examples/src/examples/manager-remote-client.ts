// The client of manager-remote.ts: a separate program that knows only the address and the key.
//   node --import tsx manager-remote-client.ts <host> <port> <authkey>
import { AuthenticationError, BaseManager, type DictProxy } from 'multiprocess';

const [host, port, authkey] = process.argv.slice(2) as [string, string, string];
const address: [string, number] = [host, Number(port)];

class RemoteManager extends BaseManager {}
RemoteManager.register('getState'); // the callable lives on the server

try {
  await new RemoteManager({ address, authkey: 'not the key' }).connect();
} catch (error) {
  console.log(`client: a wrong key is refused (${error instanceof AuthenticationError ? 'AuthenticationError' : String(error)})`);
}

const manager = await new RemoteManager({ address, authkey }).connect();
const state = await manager._create<DictProxy<string, unknown>>('getState');
console.log(`client: read greeting = ${String(await state.get('greeting'))}`);
await state.set('visits', ((await state.get('visits', 0)) as number) + 1);
await state.set('client', 'was here');
console.log(`client: keys are ${(await state.keys()).join(', ')}`);
