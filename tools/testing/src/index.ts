import { afterAll, afterEach, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const METHODS = ['thread', 'spawn'] as const;

/** A fresh temp directory, removed by `cleanup()`. */
export function tempDir(): { dir: string; file(name: string): string; read<T = unknown>(name: string): T; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-test-'));
  return {
    dir,
    file: (name) => path.join(dir, name),
    read: <T>(name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as T,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Node processes started from our child entry that descend from this process. */
export function childProcessesOfThisProcess(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args.join(' ') }));
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) {
      if (!mine.has(row.pid) && mine.has(row.ppid)) {
        mine.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((r) => r.pid !== process.pid && mine.has(r.pid) && r.args.includes('entry/child.js')).map((r) => `${r.pid} ${r.args}`);
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/** Kills what is still running of `processes` and waits for them (use in afterEach). */
export async function reap(processes: Array<{ isAlive(): boolean; kill(): void; join(timeout?: number | null): Promise<void> }>): Promise<void> {
  for (const p of processes.splice(0)) {
    try {
      if (p.isAlive()) p.kill();
      await p.join(10_000);
    } catch {
      // never started, or closed
    }
  }
}

/**
 * The children a test file starts, for `started.push(p)`: after each test the ones still running
 * are killed and joined, and the file fails if any child process of this process is left at its end.
 */
export function trackedChildren<P extends Parameters<typeof reap>[0][number]>(): P[] {
  const started: P[] = [];
  afterEach(() => reap(started));
  afterAll(async () => {
    expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
  });
  return started;
}
