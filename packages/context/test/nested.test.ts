import { afterAll, describe, expect, it } from 'vitest';
import { currentProcess, getContext, parentProcess } from '@mp/context';
import { childProcessesOfThisProcess, eventually, tempDir } from '@mp/testing';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PAIRS = [
  ['thread', 'thread'],
  ['spawn', 'spawn'],
  ['thread', 'spawn'],
  ['spawn', 'thread'],
] as const;

describe.each(PAIRS)('a %s child starts a %s grandchild', (outer, inner) => {
  it('runs it, names it Process-N:M, and reports the parent', async () => {
    const out = tmp.file(`nested-${outer}-${inner}.json`);
    const p = getContext(outer).Process({
      target: async (file: string, method: 'thread' | 'spawn') => {
        const child = getContext(method).Process({
          target: (f: string) => {
            const fs = require('node:fs');
            fs.writeFileSync(f, JSON.stringify({ name: currentProcess().name, parent: parentProcess()!.name }));
          },
          args: [file],
        });
        await child.start();
        await child.join();
        if (child.exitCode !== 0) throw new Error(`grandchild exited ${child.exitCode}`);
      },
      args: [out, inner],
    });
    await p.start();
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    const seen = tmp.read<{ name: string; parent: string }>(`nested-${outer}-${inner}.json`);
    expect(seen.parent).toBe(p.name);
    expect(seen.name).toMatch(new RegExp(`^Process-${p.name.split('-')[1]}:1$`));
  });
});

describe('daemon and orphans', () => {
  it('a parent waits for its non-daemon children before it exits', async () => {
    const out = tmp.file('waits.json');
    const p = getContext('spawn').Process({
      target: async (file: string) => {
        const child = getContext('spawn').Process({
          target: async (f: string) => {
            await new Promise((resolve) => setTimeout(resolve, 300));
            require('node:fs').writeFileSync(f, '"grandchild done"');
          },
          args: [file],
        });
        await child.start();
        // returns without joining: the exit of the parent must wait for the child
      },
      args: [out],
    });
    await p.start();
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    expect(tmp.read('waits.json')).toBe('grandchild done');
  });

  it('daemon children are terminated when their parent ends', async () => {
    const out = tmp.file('daemon.json');
    const p = getContext('spawn').Process({
      target: async (file: string) => {
        const child = getContext('spawn').Process({
          target: () => new Promise(() => setInterval(() => {}, 1000)),
          daemon: true,
        });
        await child.start();
        require('node:fs').writeFileSync(file, JSON.stringify(child.pid));
      },
      args: [out],
    });
    await p.start();
    await p.join(20_000);
    expect(p.exitCode).toBe(0);
    const pid = tmp.read<number>('daemon.json');
    const gone = await eventually(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(gone).toBe(true);
  });

  it('a killed spawn child takes its spawn children with it (no orphans)', async () => {
    const out = tmp.file('orphan.json');
    const p = getContext('spawn').Process({
      target: async (file: string) => {
        const child = getContext('spawn').Process({ target: () => new Promise(() => setInterval(() => {}, 1000)) });
        await child.start();
        require('node:fs').writeFileSync(file, JSON.stringify(child.pid));
        await new Promise(() => setInterval(() => {}, 1000));
      },
      args: [out],
    });
    await p.start();
    const wrote = await eventually(() => require('node:fs').existsSync(out), 15_000);
    expect(wrote).toBe(true);
    const grandchild = tmp.read<number>('orphan.json');
    p.kill();
    await p.join(10_000);
    const gone = await eventually(() => {
      try {
        process.kill(grandchild, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(gone).toBe(true);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
