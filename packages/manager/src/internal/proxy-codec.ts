/**
 * How proxies cross to other isolates (Process arguments, queues, pipes, other shared objects):
 * as their token (typeid, address, id), exposed methods and class, through @mp/serialize.
 *
 * Reference counting (Python's incref/decref, made race-free where Python is not):
 * - a proxy revived in a client sends `incref` on its own connection before any call, and
 *   `decref` when it is collected or disposed; the server drops a connection's references when
 *   the connection closes (a client that dies leaks nothing);
 * - a proxy revived inside its own server holds a server-side reference (no messages);
 * - a server putting one of its objects in a reply takes the reference for the receiving
 *   connection while encoding (`r: 1`), so the object cannot be freed before the client has it;
 * - a proxy sent anywhere else stays pinned here for PIN_MS, covering the time until the
 *   receiver's `incref` arrives even if the sender drops its proxy at once.
 *
 * Authkeys: a proxy sent to anyone but its own server carries its manager's authkey (the
 * receiver needs it to connect). A server never sends the key of its own objects: its clients
 * know it already.
 */
import { registerReducer, SerializationError } from '@mp/serialize';
import { BaseProxy, type ProxyClass, stateOf } from '../proxies/base-proxy.js';
import { addressKey } from './address.js';
import { channelFor } from './channel.js';
import { getEncodingFor, getEncodingTo } from './codec-context.js';
import { makeProxy, trackRemote } from './factory.js';
import { MANAGER_OID } from './protocol.js';
import { isolate, type LocalServer, type ProxyData } from './state.js';

/** How long a proxy sent elsewhere is kept alive here (ms). */
export const PIN_MS = 10_000;

function pin(proxy: object): void {
  if (isolate.pins.has(proxy)) return;
  isolate.pins.add(proxy);
  setTimeout(() => isolate.pins.delete(proxy), PIN_MS).unref();
}

function reduce(proxy: BaseProxy, ctx: { readonly path: string }): ProxyData {
  const state = stateOf(proxy)!;
  if (state.released) {
    throw new SerializationError(`Cannot serialize ${ctx.path}: this proxy was released with [Symbol.dispose](); send a live proxy`, ctx.path);
  }
  const key = addressKey(state.address);
  let k: Uint8Array | null = null;
  let r: 0 | 1 = 0;
  if (state.channel.local) {
    const target = getEncodingFor();
    const server = isolate.servers.get(key);
    if (target !== null && server !== undefined && target.server === server) {
      server.increfFor(target.client, state.id);
      r = 1;
    } else {
      pin(proxy);
    }
  } else if (getEncodingTo() !== key) {
    k = state.authkey;
    pin(proxy);
  }
  return { t: state.typeid, a: state.address, i: state.id, e: state.exposed, p: state.wireType, k, r };
}

function revive(raw: unknown): BaseProxy {
  const data = raw as ProxyData;
  const address = isolate.aliases.get(addressKey(data.a)) ?? data.a;
  const key = addressKey(address);
  const server: LocalServer | undefined = isolate.servers.get(key);
  if (server !== undefined && server.active) return server.reviveLocal(data) as BaseProxy;
  if (data.k !== null && !isolate.keyring.has(key)) isolate.keyring.set(key, data.k);
  const channel = channelFor(address, data.k);
  const proxy = makeProxy({
    typeid: data.t,
    id: data.i,
    address,
    exposed: data.e,
    channel,
    registry: null,
    authkey: channel.authkey,
    proxytype: (data.p as ProxyClass | null) ?? null,
  });
  if (data.r !== 1) channel.send(MANAGER_OID, 'incref', [data.i]);
  trackRemote(proxy, stateOf(proxy)!, channel);
  return proxy;
}

registerReducer<BaseProxy>('@mp/manager:Proxy', (value) => value instanceof BaseProxy, reduce, revive);
