/**
 * The client side's helpers for shared links (shared-link.ts) that do not belong to one
 * connection: whether a server's offer can be taken, posting the link memory to its lobby,
 * keeping the event loop alive while calls wait on a link, and sending what links still hold
 * when this isolate exits.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BroadcastChannel, threadId } from 'node:worker_threads';
import { BELL, sleepSync } from './ring.js';
import { type Link, LINK_BYTES, type LinkOffer } from './shared-link.js';

/** `MP_MANAGER_SHARED_LINK=0` keeps every connection on its socket (for comparisons). */
const LINKS_ENABLED = process.env.MP_MANAGER_SHARED_LINK !== '0' && typeof SharedArrayBuffer === 'function' && typeof BroadcastChannel === 'function';

/** True when a server that made `offer` runs in another thread of this process. */
export function canLink(offer: unknown): offer is LinkOffer {
  if (!LINKS_ENABLED || typeof offer !== 'object' || offer === null) return false;
  const o = offer as LinkOffer;
  return o.pid === process.pid && o.thread !== threadId && typeof o.lobby === 'string' && o.host === hostname();
}

let keepAlive: NodeJS.Timeout | null = null;
let holders = 0;
/** Keeps the event loop alive while a call waits on a link (a pending waitAsync does not). */
export function holdLoop(on: boolean): void {
  if (on) {
    if (holders++ === 0) (keepAlive ??= setInterval(() => {}, 2 ** 30)).ref();
  } else if (--holders === 0) keepAlive?.unref();
}

/** Links with frames still waiting for room, flushed (waiting up to EXIT_FLUSH_MS) when this isolate exits. */
const backlogged = new Set<Link>();
const EXIT_FLUSH_MS = 1000;
let exitHook = false;

function flushAtExit(): void {
  const deadline = performance.now() + EXIT_FLUSH_MS;
  for (const link of backlogged) {
    for (;;) {
      const seen = Atomics.load(link.bell, BELL);
      link.flush();
      const left = deadline - performance.now();
      if (!link.backlogged || left <= 0) break;
      sleepSync(link.bell, seen, Math.min(left, 10));
    }
  }
}

/** Remembers that `link` holds frames to send, so that they still go if this isolate exits first. */
export function watchBacklog(link: Link): void {
  if (!link.backlogged) return;
  backlogged.add(link);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', flushAtExit);
  }
}

/** Forgets a link's backlog (sent, or the connection is gone). */
export function forgetBacklog(link: Link): void {
  backlogged.delete(link);
}

/** Makes link memory and posts it with a fresh token to the lobby of `offer`; null if that fails. */
export function offerLink(offer: LinkOffer): { sab: SharedArrayBuffer; token: string } | null {
  const sab = new SharedArrayBuffer(LINK_BYTES);
  const token = randomBytes(16).toString('hex');
  try {
    const lobby = new BroadcastChannel(offer.lobby);
    lobby.postMessage({ token, sab });
    lobby.close();
  } catch {
    return null;
  }
  return { sab, token };
}
