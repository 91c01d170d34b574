/**
 * How a Connection crosses to another process (a registered @mp/serialize reducer): its port or
 * sockets go in the transfer list (`ctx.transfer`: a MessagePort moves to a thread child; a
 * socket is sent to a spawn child over the IPC channel), and the messages it had received but
 * not delivered travel with it, in order. From then on the end belongs to the receiver.
 */
import type { Socket } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { registerReducer, SerializationError } from '@mp/serialize';
import type { ReduceContext, ReviveContext, Sidecar } from '@mp/serialize/spi';
import { type Connection, encodingScope, internals, isConnection } from '../connection.js';
import type { FrameIO } from './auth.js';
import { asBuffer } from './args.js';
import type { SocketTransport } from './socket-transport.js';
import type { TransportData } from './transport.js';

/** What a Connection becomes when it is sent to another process. */
interface ConnectionData {
  transport: TransportData;
  readable: boolean;
  writable: boolean;
  pending: Array<{ bytes: Uint8Array; sidecar: Sidecar | null }>;
  challengeCheck: boolean;
}

function reduce(conn: Connection, ctx: ReduceContext): ConnectionData {
  const state = internals.state(conn);
  if (state.closed) throw new SerializationError(`Cannot serialize ${ctx.path}: the connection is closed.`, ctx.path);
  if (state.handedOver) {
    throw new SerializationError(
      `Cannot serialize ${ctx.path}: this connection was already passed to another process; an end can go to one process only (make one Pipe per child).`,
      ctx.path,
    );
  }
  if (encodingScope.threadMessage && state.transport.kind !== 'port') {
    throw new SerializationError(
      `Cannot serialize ${ctx.path}: a socket-based Connection (a spawn Pipe end, or from Client/accept) cannot travel inside a message on a thread Pipe; pass it to a child as a Process argument.`,
      ctx.path,
    );
  }
  const transport = state.transport.handOver(ctx);
  if (transport === null) {
    throw new SerializationError(
      `Cannot serialize ${ctx.path}: a Connection can only be passed to a child as a Process argument ` +
        `(new Process({ target, args: [conn] })), or inside a message on a thread Pipe. It cannot go into a Queue, ` +
        `a manager or a socket connection, where no OS handle can travel.`,
      ctx.path,
    );
  }
  state.handedOver = true;
  // Copies: a frame may be a view into a larger batch buffer, which would travel whole.
  const pending = state.inbox.drain().map((frame) => ({ bytes: new Uint8Array(frame), sidecar: state.inbox.sidecarOf(frame) ?? null }));
  return { transport, readable: state.readable, writable: state.writable, pending, challengeCheck: state.challengeCheck };
}

function revive(data: ConnectionData, ctx: ReviveContext): Connection {
  const take = <T>(index: number, what: string): T => {
    const value = ctx.transferred(index);
    if (value === undefined || value === null) {
      throw new SerializationError(`Cannot deserialize a Connection: its ${what} did not arrive with the message (was it sent without its transfer list?)`);
    }
    return value as T;
  };
  const t = data.transport;
  let conn: Connection;
  let socketTransport: SocketTransport | null = null;
  if (t.t === 'port') {
    conn = internals.overPort(take<MessagePort>(t.port, 'MessagePort'), data.readable, data.writable);
  } else {
    const input = t.input >= 0 ? take<Socket>(t.input, 'socket') : null;
    const output = t.output < 0 ? null : t.output === t.input ? input : take<Socket>(t.output, 'socket');
    [conn, socketTransport] = internals.overSockets(input, output, data.readable, data.writable);
  }
  const state = internals.state(conn);
  for (const { bytes, sidecar } of data.pending) state.inbox.push(bytes, sidecar ?? undefined);
  if (socketTransport !== null && t.t === 'socket' && t.partial !== null) socketTransport.resume(t.partial);
  state.challengeCheck = data.challengeCheck;
  return conn;
}

// `module`: a child that receives a Connection imports this package to revive it (it may not have loaded it).
registerReducer<Connection>('@mp/connection:Connection', isConnection, reduce, (data, ctx) => revive(data as ConnectionData, ctx), {
  module: import.meta.url,
});

/** Raw frames in and out, for the authkey handshake before the connection is handed out. */
export function handshakeIO(conn: Connection): FrameIO {
  const { transport, inbox } = internals.state(conn);
  return {
    write: (frame) => transport.send(frame, false),
    read: async () => asBuffer(await inbox.next()),
  };
}

/** A Client without authkey: a challenge as first message is refused instead of decoded. */
export function expectNoChallenge(conn: Connection): void {
  internals.state(conn).challengeCheck = true;
}
