import net from 'node:net';
import { AuthenticationError, OSError } from './errors.js';
import { type Connection, internals } from './connection.js';
import { expectNoChallenge, handshakeIO } from './internal/hand-over.js';
import { type Address, addressType, checkAddress, checkFamily, type Family } from './internal/address.js';
import { answerChallenge, AUTH_MAX_FRAME, deliverChallenge, toAuthkey } from './internal/auth.js';
import { MAX_FRAME } from './internal/frame.js';

function connectError(error: NodeJS.ErrnoException, address: Address): OSError {
  const where = typeof address === 'string' ? JSON.stringify(address) : `${address[0]}:${address[1]}`;
  const hint =
    error.code === 'ECONNREFUSED' || error.code === 'ENOENT'
      ? 'nothing is listening there (is the Listener created and its `ready` awaited, and the address right?)'
      : error.message;
  return new OSError(`cannot connect to ${where}: ${hint}`, { cause: error, code: error.code });
}

/**
 * Connects to a {@link Listener} (Python's `multiprocessing.connection.Client`). With an
 * `authkey`, the HMAC challenge/response runs both ways before the connection is returned; a
 * wrong key rejects with AuthenticationError (on both sides).
 *
 * @param address - `[host, port]` (AF_INET) or a socket path (AF_UNIX).
 * @param family - inferred from `address` when omitted.
 * @param authkey - bytes or a string; must match the listener's. `null`/omitted: none.
 * @example
 * ```ts
 * import { Client } from 'multiprocess';
 *
 * await using conn = await Client(['localhost', 6000], 'AF_INET', 'secret');
 * conn.send('hello');
 * console.log(await conn.recv());
 * ```
 */
export async function Client(address: Address, family?: Family | null, authkey?: Uint8Array | string | null): Promise<Connection> {
  const fam = family === undefined || family === null ? addressType(address) : checkFamily(family);
  const target = checkAddress(address, fam);
  const key = authkey === undefined || authkey === null ? null : toAuthkey(authkey);
  const socket =
    fam === 'AF_UNIX' ? net.connect({ path: target as string }) : net.connect({ host: (target as readonly [string, number])[0], port: (target as readonly [string, number])[1] });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    socket.destroy();
    throw connectError(error as NodeJS.ErrnoException, target);
  }
  if (fam === 'AF_INET') socket.setNoDelay(true);
  const [conn, transport] = internals.overSockets(socket, socket, true, true, key === null ? MAX_FRAME : AUTH_MAX_FRAME);
  if (key === null) {
    expectNoChallenge(conn);
    return conn;
  }
  try {
    const io = handshakeIO(conn);
    await answerChallenge(io, key);
    await deliverChallenge(io, key);
  } catch (error) {
    conn.close();
    if (error instanceof AuthenticationError) throw error;
    throw new AuthenticationError(`authentication with the listener failed: ${(error as Error).message}`, { cause: error });
  }
  transport.maxFrame = MAX_FRAME;
  return conn;
}
