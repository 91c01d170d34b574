/**
 * The target of a manager's server process (Python's `BaseManager._run_server`): run the
 * initializer, bind the server, report its address (or the failure) to the parent through a
 * pipe, and serve until shut down. The process then exits normally.
 */
import { isMainThread } from 'node:worker_threads';
import type { Connection } from '@mp/connection';
import { Server } from '../server.js';
import type { Address } from './address.js';
import type { TypeSpec } from './registry.js';

/** What the server process tells its parent once it is listening (or failed to). */
export type StartReport = { ok: true; address: Address } | { ok: false; error: unknown };

export async function runManagerServer(
  specs: Map<string, TypeSpec>,
  address: Address | null,
  authkey: Uint8Array,
  writer: Connection,
  initializer: ((...args: unknown[]) => unknown) | null,
  initargs: readonly unknown[],
): Promise<void> {
  // As Python's manager process: Ctrl-C in the terminal is for the program, which shuts the
  // manager down itself (and a spawned server dies with its parent anyway).
  if (isMainThread) process.on('SIGINT', () => {});
  let server: Server;
  try {
    if (initializer !== null) await initializer(...initargs);
    server = new Server({ specs, address, authkey });
    await server.ready;
  } catch (error) {
    writer.send({ ok: false, error } satisfies StartReport);
    await writer[Symbol.asyncDispose]();
    return;
  }
  writer.send({ ok: true, address: server.address } satisfies StartReport);
  await writer[Symbol.asyncDispose]();
  await server.serveForever();
}
