/**
 * Addresses of Listener/Client, as Python's `multiprocessing.connection` knows them:
 * `[host, port]` for AF_INET, a path for AF_UNIX (a leading NUL byte = Linux abstract socket).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Socket families: TCP (`[host, port]`) or Unix-domain (a path).
 *
 * @example
 * ```ts
 * const family: Family = 'AF_INET';
 * const listener = new Listener(['localhost', 0], family);
 * ```
 */
export type Family = 'AF_INET' | 'AF_UNIX';

/**
 * `[host, port]` (AF_INET) or a socket path (AF_UNIX; a leading NUL byte names a Linux abstract
 * socket).
 *
 * @example
 * ```ts
 * const tcp: Address = ['localhost', 6000];
 * const unix: Address = '/tmp/my-app.sock';
 * ```
 */
export type Address = string | readonly [host: string, port: number];

/**
 * The families this platform offers (Python's `connection.families`).
 *
 * @example
 * ```ts
 * for (const family of families) new Listener(undefined, family).close();
 * ```
 */
export const FAMILIES: readonly Family[] = ['AF_INET', 'AF_UNIX'];

/** The family of an address (Python's `address_type`). */
export function addressType(address: unknown): Family {
  if (Array.isArray(address)) return 'AF_INET';
  if (typeof address === 'string') {
    if (address.startsWith('\\\\')) {
      throw new TypeError(`address ${JSON.stringify(address)} is a Windows named pipe (AF_PIPE), which is not supported here; use a Unix socket path or [host, port]`);
    }
    return 'AF_UNIX';
  }
  throw new TypeError(`address type of ${JSON.stringify(address)} unrecognized: use [host, port] (AF_INET) or a socket path (AF_UNIX)`);
}

export function checkFamily(family: unknown): Family {
  if (family === 'AF_INET' || family === 'AF_UNIX') return family;
  if (family === 'AF_PIPE') throw new TypeError("Family AF_PIPE (Windows named pipes) is not recognized here: use 'AF_UNIX' or 'AF_INET'");
  throw new TypeError(`Family ${JSON.stringify(family)} is not recognized: use 'AF_UNIX' or 'AF_INET'`);
}

/** Checks an address against its family and normalizes it (AF_INET: `'localhost'` is 127.0.0.1). */
export function checkAddress(address: unknown, family: Family): Address {
  if (family === 'AF_INET') {
    if (!Array.isArray(address) || address.length !== 2 || typeof address[0] !== 'string' || !Number.isInteger(address[1])) {
      throw new TypeError(`an AF_INET address is [host, port] (host a string, port an integer), not ${JSON.stringify(address)}`);
    }
    const port = address[1] as number;
    if (port < 0 || port > 65535) throw new RangeError(`port must be 0-65535, not ${port}`);
    return [hostOf(address[0]), port];
  }
  if (typeof address !== 'string' || address.length === 0) {
    throw new TypeError(`an AF_UNIX address is a non-empty socket path, not ${JSON.stringify(address)}`);
  }
  return address;
}

/** IPv4 for 'localhost' (and ''), as Python's AF_INET sockets resolve it. */
export function hostOf(host: string): string {
  return host === 'localhost' || host === '' ? '127.0.0.1' : host;
}

/** A fresh address for a Listener without one: a socket in a private temp dir, or any free port. */
export function arbitraryAddress(family: Family): { address: Address; dir: string | null } {
  if (family === 'AF_INET') return { address: ['127.0.0.1', 0], dir: null };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-listener-'));
  return { address: path.join(dir, `listener-${randomBytes(4).toString('hex')}`), dir };
}

/** True for a Linux abstract socket name (no file to unlink). */
export function isAbstract(address: Address): boolean {
  return typeof address === 'string' && address.startsWith('\0');
}
