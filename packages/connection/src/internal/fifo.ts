/**
 * The OS pipes behind a `spawn` Pipe(): named pipes (FIFOs), opened at once and unlinked, so the
 * result is what `os.pipe()` gives Python — two file descriptors, no name left on disk.
 *
 * Why not a Unix-socket pair: Node has no socketpair(), and a pair made with listen + connect +
 * accept is only complete after the event loop has run the accept. `Pipe()` is synchronous, and
 * `p1.start(); p2.start()` (or `Promise.all`) hands both ends to two children in the same tick,
 * before any accept could run. Opening both ends of a FIFO is synchronous (non-blocking read end
 * first, then the write end). A duplex pipe is two FIFOs, one per direction.
 *
 * `mkfifo` (coreutils) makes the FIFOs; it costs one process start (~10 ms here), so FIFOs are
 * made 16 at a time in a private directory of this isolate, removed when it exits.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OSError } from '../errors.js';

const BATCH = 16;
const KEY = Symbol.for('@mp/connection.fifoPool');

interface Pool {
  dir: string | null;
  free: string[];
}
type Holder = typeof globalThis & { [KEY]?: Pool };

function pool(): Pool {
  const holder = globalThis as Holder;
  let p = holder[KEY];
  if (p === undefined) {
    const created: Pool = { dir: null, free: [] };
    holder[KEY] = p = created;
    process.on('exit', () => {
      if (created.dir !== null) fs.rmSync(created.dir, { recursive: true, force: true });
    });
  }
  return p;
}

function refill(p: Pool): void {
  p.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'mp-pipe-'));
  const tag = randomBytes(4).toString('hex');
  const names = Array.from({ length: BATCH }, (_, i) => path.join(p.dir!, `${tag}-${i}`));
  try {
    execFileSync('mkfifo', ['-m', '600', ...names], { stdio: 'ignore' });
  } catch (error) {
    throw new OSError(
      `cannot make a pipe for the 'spawn' start method: the mkfifo command failed (${(error as Error).message}). ` +
        `Install coreutils (mkfifo), or use the 'thread' start method (getContext('thread').Pipe()).`,
      { cause: error },
    );
  }
  p.free.push(...names);
}

/** One OS pipe: a read end and a write end (non-blocking file descriptors, close-on-exec). */
export interface OsPipe {
  read: number;
  write: number;
}

/** A new OS pipe, made synchronously. */
export function osPipe(): OsPipe {
  const p = pool();
  if (p.free.length === 0) refill(p);
  const name = p.free.pop()!;
  const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fs.constants;
  const read = fs.openSync(name, O_RDONLY | O_NONBLOCK);
  let write: number;
  try {
    write = fs.openSync(name, O_WRONLY | O_NONBLOCK);
  } catch (error) {
    fs.closeSync(read);
    throw error;
  } finally {
    fs.rmSync(name, { force: true });
  }
  return { read, write };
}
