/** Manager addresses: `[host, port]` (TCP) or a Unix socket path, and their string keys. */
import type { Address, Family } from '@mp/connection';

export type { Address, Family };

/** A stable string for an address (map keys). */
export function addressKey(address: Address): string {
  return typeof address === 'string' ? `unix:${address}` : `tcp:${address[0]}:${address[1]}`;
}

/** The family of an address. */
export function familyOf(address: Address): Family {
  return typeof address === 'string' ? 'AF_UNIX' : 'AF_INET';
}

/** For messages: `127.0.0.1:5000` or the socket path. */
export function describeAddress(address: Address | null): string {
  if (address === null) return '(none)';
  return typeof address === 'string' ? JSON.stringify(address) : `${address[0]}:${address[1]}`;
}

/** Accepts `[host, port]`, a path, or Python's tuple-like `{0: host, 1: port}` arrays. */
export function checkManagerAddress(address: unknown): Address {
  if (typeof address === 'string' && address.length > 0) return address;
  if (Array.isArray(address) && address.length === 2 && typeof address[0] === 'string' && Number.isInteger(address[1])) {
    const host = address[0] === '' || address[0] === 'localhost' ? (address[0] === '' ? '0.0.0.0' : '127.0.0.1') : address[0];
    return [host, address[1] as number];
  }
  throw new TypeError(`a manager address is [host, port] (TCP) or a Unix socket path, not ${JSON.stringify(address)}`);
}
