/**
 * Making proxies: picking the class for a typeid, building the instance, and tying its
 * reference on the server to its lifetime (FinalizationRegistry → `decref`, Python's
 * `BaseProxy._decref` finalizer).
 */
import type { Address } from './address.js';
import { AutoProxy } from '../proxies/auto-proxy.js';
import { type BaseProxy, type ProxyChannel, type ProxyClass, proxyInit, type ProxyRegistry, type ProxyState } from '../proxies/base-proxy.js';
import { MANAGER_OID } from './protocol.js';

/** Proxy classes of the built-in typeids (used when no registry says otherwise). */
const builtinProxyTypes = new Map<string, ProxyClass>();

/** Called by the built-in proxy modules. */
export function registerBuiltinProxyType(typeid: string, cls: ProxyClass): void {
  builtinProxyTypes.set(typeid, cls);
}

export interface ProxySpec {
  readonly typeid: string;
  readonly id: number;
  readonly address: Address;
  readonly exposed: readonly string[] | null;
  readonly channel: ProxyChannel;
  readonly registry: ProxyRegistry | null;
  readonly authkey: Uint8Array | null;
  /** The class to use (from a serialized proxy), or null to choose by typeid. */
  readonly proxytype: ProxyClass | null;
}

/** The class for a typeid: the given one, the registry's, the built-in one, or an AutoProxy. */
export function proxyTypeFor(spec: Pick<ProxySpec, 'typeid' | 'exposed' | 'registry' | 'proxytype'>): { cls: ProxyClass; auto: boolean } {
  const chosen = spec.proxytype ?? spec.registry?.get(spec.typeid)?.proxytype ?? builtinProxyTypes.get(spec.typeid) ?? null;
  if (chosen !== null) return { cls: chosen, auto: false };
  return { cls: AutoProxy(spec.typeid, spec.exposed ?? []), auto: true };
}

/** Builds a proxy (without taking a reference: see `trackRemote`). */
export function makeProxy(spec: ProxySpec): BaseProxy {
  const { cls, auto } = proxyTypeFor(spec);
  const state: ProxyState = {
    typeid: spec.typeid,
    id: spec.id,
    address: spec.address,
    exposed: spec.exposed,
    channel: spec.channel,
    registry: spec.registry,
    authkey: spec.authkey,
    wireType: auto ? null : cls,
    released: false,
    release: null,
  };
  return new cls(proxyInit(state));
}

interface Held {
  readonly channel: ProxyChannel & { readonly closed: boolean };
  readonly id: number;
}

const finalizer = new FinalizationRegistry<Held>((held) => {
  if (!held.channel.closed) held.channel.send(MANAGER_OID, 'decref', [held.id]);
});

/**
 * Ties a proxy that holds a reference on its server (through `channel`) to that reference: the
 * reference is dropped when the proxy is garbage-collected or disposed.
 */
export function trackRemote(proxy: BaseProxy, state: ProxyState, channel: ProxyChannel & { readonly closed: boolean }): void {
  const held: Held = { channel, id: state.id };
  const token = {};
  finalizer.register(proxy, held, token);
  state.release = () => {
    finalizer.unregister(token);
    if (!channel.closed) channel.send(MANAGER_OID, 'decref', [state.id]);
  };
}
