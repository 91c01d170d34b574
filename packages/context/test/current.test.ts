import { afterAll, describe, expect, it } from 'vitest';
import { currentProcess, getContext, getLogger, INFO, local, logToStderr, parentProcess, WARNING } from '@mp/context';
import { METHODS, tempDir } from '@mp/testing';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.each(METHODS)('identity in a %s child', (method) => {
  it('currentProcess() is the child object; parentProcess() is MainProcess', async () => {
    const out = tmp.file(`identity-${method}.json`);
    const p = getContext(method).Process({
      target: (file: string) => {
        const me = currentProcess();
        const parent = parentProcess()!;
        require('node:fs').writeFileSync(
          file,
          JSON.stringify({ name: me.name, pid: me.pid, alive: me.isAlive(), parent: parent.name, parentPid: parent.pid, parentAlive: parent.isAlive() }),
        );
      },
      args: [out],
      name: 'Custom',
    });
    await p.start();
    await p.join(10_000);
    expect(p.exitCode).toBe(0);
    expect(tmp.read(`identity-${method}.json`)).toEqual({
      name: 'Custom',
      pid: p.pid,
      alive: true,
      parent: 'MainProcess',
      parentPid: process.pid,
      parentAlive: true,
    });
  });

  it('a local() never shows its values to a child, even when passed', async () => {
    const out = tmp.file(`local-${method}.json`);
    const l = local<{ x?: number }>();
    l.x = 1;
    const p = getContext(method).Process({
      target: (file: string, shared: { x?: number }) => {
        shared.x ??= 5;
        require('node:fs').writeFileSync(file, JSON.stringify({ seen: 'x' in shared ? shared.x : 'x not set' }));
      },
      args: [out, l],
    });
    await p.start();
    await p.join(10_000);
    expect(tmp.read(`local-${method}.json`)).toEqual({ seen: 5 });
    expect(l.x).toBe(1);
  });
});

describe('main process helpers', () => {
  it('parentProcess() is null in the main process', () => {
    expect(parentProcess()).toBeNull();
  });

  it('getLogger() logs through handlers; logToStderr formats [LEVEL/Process]', () => {
    const records: string[] = [];
    const logger = getLogger();
    logger.addHandler((r) => records.push(`${r.levelName}:${r.processName}:${r.message}`));
    logger.setLevel(INFO);
    logger.info('started %d workers', 4);
    logger.debug('hidden');
    expect(records).toEqual(['INFO:MainProcess:started 4 workers']);
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as unknown as typeof process.stderr.write;
    try {
      logToStderr(WARNING).warning('careful');
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual(['[WARNING/MainProcess] careful\n']);
  });
});
