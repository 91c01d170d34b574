/** Entry of the broker thread (see internal/broker/server.ts). */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { BrokerServer } from '../internal/broker/server.js';
import { LivenessTable } from '../internal/liveness.js';
import { installChildRuntime } from '../internal/runtime.js';

interface BrokerData {
  dir: string;
  authkey: Uint8Array;
  liveness: SharedArrayBuffer;
  token: number;
  rootPid: number;
  port: MessagePort;
  syncPort: MessagePort;
  syncFlag: Int32Array;
}

const data = workerData as BrokerData;
const liveness = new LivenessTable(data.liveness);
installChildRuntime(
  {
    method: 'thread',
    self: { name: 'Broker', pid: process.pid, identity: [] },
    parent: { name: 'MainProcess', pid: process.pid, identity: [] },
    authkey: data.authkey,
    brokerKey: data.authkey,
    daemon: true,
    token: data.token,
    defaultMethod: null,
    executable: null,
    brokerDir: data.dir,
    rootPid: data.rootPid,
  },
  { liveness, brokerPort: null, syncPort: null, syncFlag: null },
);
const server = new BrokerServer(data.dir, data.authkey, liveness, data.token);
await server.start(data.port, data.syncPort, data.syncFlag);
