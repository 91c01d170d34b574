// Raw Node floors of B1/B2: a producer sends 256-byte strings, main receives, items/s.
// Each returns the median rate over ctx.repeat runs (see ctx.rate); set-up is not timed.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** @typedef {import('./context.mjs').Ctx} Ctx */

/** worker → main `postMessage` @param {Ctx} ctx @param {(c: () => unknown) => void} defer */
export async function postMessageFloor(ctx, defer) {
  const w = new Worker(ctx.fixture('pm-producer.mjs'));
  defer(() => w.terminate());
  await once(w, 'online');
  return ctx.rate((n) => new Promise((resolve) => {
    let t0 = 0;
    const on = (m) => {
      if (m === 'READY') t0 = ctx.now();
      else if (m === 'STOP') {
        w.off('message', on);
        resolve(ctx.now() - t0);
      }
    };
    w.on('message', on);
    w.postMessage(n);
  }), { start: 256 });
}

/** child → parent over the child_process IPC channel @param {Ctx} ctx @param {(c: () => unknown) => void} defer */
export async function ipcFloor(ctx, defer) {
  const c = fork(ctx.fixture('ipc-producer.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  defer(() => c.kill('SIGKILL'));
  return ctx.rate((n) => new Promise((resolve) => {
    let t0 = 0;
    const on = (m) => {
      if (m === 'READY') t0 = ctx.now();
      else if (m === 'STOP') {
        c.off('message', on);
        resolve(ctx.now() - t0);
      }
    };
    c.on('message', on);
    c.send(n);
  }), { start: 256 });
}

/**
 * child → parent over a Unix socket with 4-byte length-prefixed frames, each decoded to a
 * string on arrival. @param {Ctx} ctx @param {(c: () => unknown) => void} defer
 */
export async function unixSocketFloor(ctx, defer) {
  const dir = mkdtempSync(join(tmpdir(), 'mp-bench-sock-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 's');
  const server = createServer();
  defer(() => server.close());
  server.listen(path);
  await once(server, 'listening');
  const child = spawn(process.execPath, [ctx.fixture('socket-producer.mjs'), path], { stdio: ['ignore', 'ignore', 'inherit'] });
  defer(() => child.kill('SIGKILL'));
  const [sock] = await once(server, 'connection');
  defer(() => sock.destroy());

  /** @type {((s: string) => void) | null} */
  let onMessage = null;
  let pending = Buffer.alloc(0);
  sock.on('data', (d) => {
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    let off = 0;
    while (pending.length - off >= 4) {
      const len = pending.readUInt32BE(off);
      if (pending.length - off - 4 < len) break;
      const s = pending.toString('utf8', off + 4, off + 4 + len);
      off += 4 + len;
      onMessage?.(s);
    }
    pending = pending.subarray(off);
  });
  const request = (n) => {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(n, 0);
    sock.write(b);
  };
  defer(() => request(0));
  return ctx.rate((n) => new Promise((resolve) => {
    let t0 = 0;
    onMessage = (m) => {
      if (m === 'READY') t0 = ctx.now();
      else if (m === 'STOP') resolve(ctx.now() - t0);
    };
    request(n);
  }), { start: 256 });
}
