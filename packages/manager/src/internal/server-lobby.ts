/**
 * A server's lobby: the BroadcastChannel where client threads of this process post the memory
 * of their shared links (shared-link.ts) with a token, which they then send over their
 * authenticated socket in an `upgrade` request. The hello names the lobby (`offer`).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BroadcastChannel, threadId } from 'node:worker_threads';
import type { LinkOffer } from './shared-link.js';

/** How long an `upgrade` waits for its lobby message before the server answers that it failed. */
const UPGRADE_WAIT_MS = 2000;
/** Tokens kept for upgrades not asked yet (a bound against a flood of unclaimed posts). */
const MAX_UNCLAIMED = 1024;

export class Lobby {
  readonly offer: LinkOffer;
  readonly #channel: BroadcastChannel;
  readonly #posted = new Map<string, SharedArrayBuffer>();
  readonly #waiting = new Map<string, (sab: SharedArrayBuffer) => void>();

  private constructor() {
    const name = `@mp/manager.lobby:${randomUUID()}`;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event) => this.#arrived((event as { data?: unknown }).data);
    (this.#channel as unknown as { unref?: () => void }).unref?.();
    this.offer = { host: hostname(), pid: process.pid, thread: threadId, lobby: name };
  }

  /** A lobby, or null where shared memory or BroadcastChannel is missing. */
  static open(): Lobby | null {
    return typeof BroadcastChannel === 'function' && typeof SharedArrayBuffer === 'function' ? new Lobby() : null;
  }

  #arrived(data: unknown): void {
    const { token, sab } = (data ?? {}) as { token?: unknown; sab?: unknown };
    if (typeof token !== 'string' || !(sab instanceof SharedArrayBuffer)) return;
    const waiter = this.#waiting.get(token);
    if (waiter !== undefined) {
      this.#waiting.delete(token);
      waiter(sab);
    } else if (this.#posted.size < MAX_UNCLAIMED) {
      this.#posted.set(token, sab);
    }
  }

  /** The link memory posted with `token`, or null if it does not come in time. */
  take(token: string): Promise<SharedArrayBuffer | null> {
    const posted = this.#posted.get(token);
    if (posted !== undefined) {
      this.#posted.delete(token);
      return Promise.resolve(posted);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(token);
        resolve(null);
      }, UPGRADE_WAIT_MS);
      this.#waiting.set(token, (sab) => {
        clearTimeout(timer);
        resolve(sab);
      });
    });
  }

  close(): void {
    this.#channel.close();
  }
}
