import fs from 'node:fs';
import net from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { type Connection, internals } from './connection.js';
import { osPipe } from './internal/fifo.js';
import { defaultStartMethod, type PipeMethod } from './internal/start-method.js';

/**
 * Options of {@link Pipe} beyond Python's `duplex`.
 *
 * @example
 * ```ts
 * const [a, b] = Pipe(true, { method: 'spawn' }); // ends for spawn children
 * ```
 */
export interface PipeOptions {
  /**
   * The start method of the children the ends will go to: `'thread'` (a MessageChannel) or
   * `'spawn'` (OS pipes). Default: the default context's (`ctx.Pipe()` passes its own).
   */
  method?: PipeMethod | undefined;
}

/** A socket over a file descriptor, not reading until asked (see socket-transport.ts). */
function fdSocket(fd: number, readable: boolean): net.Socket {
  const options = { fd, readable, writable: !readable, manualStart: true };
  return new net.Socket(options as net.SocketConstructorOpts);
}

/**
 * A pair of connected Connections (Python's `multiprocessing.Pipe`). With `duplex` (the
 * default) both ends send and receive; `Pipe(false)` returns `[reader, writer]`.
 *
 * On the `thread` start method the ends are the two ports of a MessageChannel; on `spawn` they
 * are OS pipes whose file descriptors go to the children directly (no hop through this process
 * or the broker). An end passed to a child as a Process argument moves to that child.
 *
 * @param duplex - both ends can send and receive (default true).
 * @param options - `method`: whose children the ends are for (default: the default context's).
 * @example
 * ```ts
 * import { Pipe, Process } from 'multiprocess';
 *
 * const [parentConn, childConn] = Pipe();
 * const p = new Process({ target: async (conn) => conn.send(`${await conn.recv()} world`), args: [childConn] });
 * await p.start();
 * parentConn.send('hello');
 * console.log(await parentConn.recv()); // hello world
 * await p.join();
 * ```
 */
export function Pipe(duplex = true, options: PipeOptions = {}): [Connection, Connection] {
  const method = options.method ?? defaultStartMethod();
  if (method !== 'thread' && method !== 'spawn') {
    throw new TypeError(`Pipe() method must be 'thread' or 'spawn', not ${JSON.stringify(method)}`);
  }
  const both = Boolean(duplex);
  if (method === 'thread') {
    const { port1, port2 } = new MessageChannel();
    return [internals.overPort(port1, true, both), internals.overPort(port2, both, true)];
  }
  const forward = osPipe();
  if (!both) {
    const [reader] = internals.overSockets(fdSocket(forward.read, true), null, true, false);
    const [writer] = internals.overSockets(null, fdSocket(forward.write, false), false, true);
    return [reader, writer];
  }
  let backward;
  try {
    backward = osPipe();
  } catch (error) {
    fs.closeSync(forward.read);
    fs.closeSync(forward.write);
    throw error;
  }
  // End 1 reads `forward` and writes `backward`; end 2 the other way round.
  const [one] = internals.overSockets(fdSocket(forward.read, true), fdSocket(backward.write, false), true, true);
  const [two] = internals.overSockets(fdSocket(backward.read, true), fdSocket(forward.write, false), true, true);
  return [one, two];
}
