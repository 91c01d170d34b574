/**
 * Per-isolate state of @mp/manager, on `globalThis` so that the ESM and CJS builds loaded in one
 * isolate share it (the dual-package hazard): the client channels, the authkeys known for each
 * address, the servers running in this isolate, address aliases (a server's own view of its
 * address → the address this isolate reaches it by), and pinned proxies.
 */
import type { Address } from './address.js';

/** A proxy's serialized form (see proxy-codec.ts). */
export interface ProxyData {
  /** typeid */
  t: string;
  /** the server's address */
  a: Address;
  /** object id */
  i: number;
  /** exposed method names (null: unknown) */
  e: readonly string[] | null;
  /** the proxy class (null: an AutoProxy rebuilt from `e`) */
  p: unknown;
  /** the authkey, when the proxy goes somewhere else than its own server */
  k: Uint8Array | null;
  /** 1: the sender (the server) already took a reference for the receiving connection */
  r: 0 | 1;
}

/** What the codec needs from a server running in this isolate. */
export interface LocalServer {
  readonly address: Address;
  /** False once the server stopped listening (its proxies then go through connections again). */
  readonly active: boolean;
  /** A proxy for one of this server's objects, for use inside the server (a server-held reference). */
  reviveLocal(data: ProxyData): object;
  /** Takes a reference to object `id` on behalf of `client` (a connection of this server). */
  increfFor(client: object, id: number): void;
}

export interface ManagerIsolateState {
  /** `${addressKey}|${authkey hex}` → Channel (typed loosely here to avoid an import cycle). */
  readonly channels: Map<string, unknown>;
  /** addressKey → authkey known for it in this isolate. */
  readonly keyring: Map<string, Uint8Array>;
  /** addressKey → server running in this isolate. */
  readonly servers: Map<string, LocalServer>;
  readonly aliases: Map<string, Address>;
  /** Proxies kept alive for a while after being sent elsewhere (until the receiver has its own reference). */
  readonly pins: Set<object>;
}

const KEY = Symbol.for('@mp/manager.state');

export const isolate: ManagerIsolateState = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  channels: new Map(),
  keyring: new Map(),
  servers: new Map(),
  aliases: new Map(),
  pins: new Set(),
}) as ManagerIsolateState;
