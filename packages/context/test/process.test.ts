import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { activeChildren, currentProcess, getContext, Process, type ProcessOptions, ProcessStateError, ValueError } from '@mp/context';
import { ref, SerializationError } from '@mp/serialize';
import { childProcessesOfThisProcess, eventually, METHODS, tempDir } from '@mp/testing';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.each(METHODS)('Process on %s', (method) => {
  const ctx = getContext(method);
  const started: Process[] = [];
  const make = <A extends readonly unknown[]>(options: ProcessOptions<A>): Process<A> => {
    const p = ctx.Process(options);
    started.push(p as Process);
    return p;
  };
  afterEach(async () => {
    for (const p of started.splice(0)) {
      try {
        if (p.isAlive()) p.kill();
        await p.join(5000);
      } catch {
        // not started or closed
      }
    }
  });

  it('children started one after another each see the environment as it is at their start()', async () => {
    // thread: from the second start on, a child may run in a worker loaded ahead of time
    try {
      for (let i = 1; i <= 4; i++) {
        process.env.MP_TEST_ORDINAL = String(i);
        if (i === 3) delete process.env.MP_TEST_ORDINAL;
        const p = make({ target: () => process.exit(Number(process.env.MP_TEST_ORDINAL ?? 99)) });
        await p.start();
        await p.join(10_000);
        expect(p.exitCode).toBe(i === 3 ? 99 : i);
        expect(p.name).toMatch(/^Process-\d+$/);
      }
    } finally {
      delete process.env.MP_TEST_ORDINAL;
    }
  });

  it('runs the target with its args and exits 0', async () => {
    const out = tmp.file(`args-${method}.json`);
    const p = make({
      target: (file: string, a: number, b: { x: number[] }) =>
        require('node:fs').writeFileSync(file, JSON.stringify({ sum: a + b.x[0]!, name: currentProcess().name })),
      args: [out, 2, { x: [40] }],
    });
    expect(p.exitCode).toBeNull();
    expect(p.isAlive()).toBe(false);
    const starting = p.start();
    expect(p.isAlive()).toBe(true);
    await starting;
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    expect(p.isAlive()).toBe(false);
    expect(tmp.read(`args-${method}.json`)).toEqual({ sum: 42, name: p.name });
  });

  it('awaits an async target', async () => {
    const out = tmp.file(`async-${method}.json`);
    const p = make({
      target: async (file: string) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        require('node:fs').writeFileSync(file, '"done"');
      },
      args: [out],
    });
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    expect(tmp.read(`async-${method}.json`)).toBe('done');
  });

  it('join() works without awaiting start()', async () => {
    const p = make({ target: () => {} });
    void p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
  });

  it('an uncaught error exits 1', async () => {
    const p = make({
      target: () => {
        throw new Error('boom in child');
      },
    });
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(1);
  });

  it('a rejected async target exits 1', async () => {
    const p = make({ target: async () => Promise.reject(new RangeError('async boom')) });
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(1);
  });

  it('process.exit(n) sets exitCode n, and process.exit() is 0', async () => {
    const p7 = make({ target: () => process.exit(7) });
    const p0 = make({ target: () => process.exit() });
    await Promise.all([p7.start(), p0.start()]);
    await Promise.all([p7.join(10_000), p0.join(10_000)]);
    expect(p7.exitCode).toBe(7);
    expect(p0.exitCode).toBe(0);
  });

  it('terminate() gives -15 and kill() gives -9', async () => {
    const forever = () => new Promise(() => setInterval(() => {}, 1000));
    const t = make({ target: forever });
    const k = make({ target: forever });
    await Promise.all([t.start(), k.start()]);
    expect(t.isAlive()).toBe(true);
    t.terminate();
    k.kill();
    await Promise.all([t.join(10_000), k.join(10_000)]);
    expect(t.exitCode).toBe(-15);
    expect(k.exitCode).toBe(-9);
    expect(t.toString()).toContain('exitcode=-SIGTERM');
  });

  it('terminate() stops a child blocked in Atomics.wait', async () => {
    const p = make({
      target: () => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      },
    });
    await p.start();
    p.terminate();
    await p.join(10_000);
    expect(p.exitCode).toBe(-15);
  });

  it('join(timeout) returns after the timeout while the child runs', async () => {
    const p = make({ target: () => new Promise((resolve) => setTimeout(resolve, 60_000)) });
    await p.start();
    await p.join(50);
    expect(p.exitCode).toBeNull();
    expect(p.isAlive()).toBe(true);
    p.kill();
    await p.join(10_000);
  });

  it('runs a ref() target from a module', async () => {
    const out = tmp.file(`ref-${method}.json`);
    const p = make({ target: ref(new URL('./fixtures/targets.mjs', import.meta.url).href, 'writeIdentity'), args: [out] });
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    const identity = tmp.read<{ name: string; pid: number; parent: string }>(`ref-${method}.json`);
    expect(identity).toEqual({ name: p.name, pid: p.pid, parent: 'MainProcess' });
  });

  it('a subclass overriding run() runs in the child', async () => {
    const out = tmp.file(`sub-${method}.json`);
    const Base = ctx.Process;
    class Writer extends Base {
      file: string;
      constructor(file: string) {
        super({});
        this.file = file;
      }
      override run(): void {
        require('node:fs').writeFileSync(this.file, JSON.stringify({ cls: this.constructor.name, name: this.name }));
      }
    }
    const p = new Writer(out);
    started.push(p as Process);
    expect(p.name).toMatch(/^Writer-\d+$/);
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    expect(tmp.read(`sub-${method}.json`)).toEqual({ cls: 'Writer', name: p.name });
  });

  it('names children Process-N and reports pid, daemon and repr', async () => {
    const p = make({ target: () => {}, daemon: true });
    expect(p.name).toMatch(/^Process-\d+$/);
    expect(p.daemon).toBe(true);
    expect(p.pid).toBeNull();
    expect(p.toString()).toMatch(/^<\w+ name='Process-\d+' parent=\d+ initial daemon>$/);
    await p.start();
    expect(typeof p.pid).toBe('number');
    expect(activeChildren()).toContain(p);
    await p.join(10_000);
    expect(activeChildren()).not.toContain(p);
    expect(() => {
      p.daemon = false;
    }).toThrow(/process has already started/);
  });
});

describe('Process misuse', () => {
  it('a non-function target is a TypeError at construction', () => {
    expect(() => new Process({ target: 42 as never })).toThrow(TypeError);
    expect(() => new Process({ target: 'f' as never })).toThrow(/target must be a function/);
  });

  it('start() twice and join() before start() reject with Python wording', async () => {
    const p = new Process({ target: () => {} });
    await expect(p.join()).rejects.toThrow(/can only join a started process/);
    await p.start();
    await expect(p.start()).rejects.toThrow(ProcessStateError);
    await expect(p.start()).rejects.toThrow(/cannot start a process twice/);
    await p.join(10_000);
  });

  it('close() of a running process throws; a closed process refuses use', async () => {
    const p = new Process({ target: () => new Promise((resolve) => setTimeout(resolve, 60_000)) });
    await p.start();
    expect(() => p.close()).toThrow(/Cannot close a process while it is still running/);
    p.kill();
    await p.join(10_000);
    p.close();
    expect(() => p.isAlive()).toThrow(ValueError);
    expect(() => p.exitCode).toThrow(/process object is closed/);
  });

  it('unserializable args fail at start() naming the path', async () => {
    const secret = 41;
    const p = new Process({ target: (..._args: unknown[]) => {}, args: [1, { handler: () => secret + 1 }] });
    const error = await p.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as Error).message).toContain('args[1].handler');
    expect((error as Error).message).toContain('secret');
    expect(p.isAlive()).toBe(false);
  });

  it('currentProcess() is MainProcess in the main thread', () => {
    const me = currentProcess();
    expect(me.name).toBe('MainProcess');
    expect(me.pid).toBe(process.pid);
    expect(me.isAlive()).toBe(true);
    expect(me.daemon).toBe(false);
    expect(me.authkey).toBeInstanceOf(Uint8Array);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
