import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '@mp/serialize/spi';
import { fixture, withTimeout } from './helpers.js';

describe('sidecar', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.terminate();
    worker = undefined;
  });

  it('sends a SharedArrayBuffer to a worker as the same memory (the worker writes, the parent reads)', async () => {
    const sab = new SharedArrayBuffer(8);
    const counter = new Int32Array(sab);
    const { bytes, sidecar } = encode({ counter, copy: new Int32Array(sab, 4) }, { sidecar: true });
    expect(sidecar.shared).toHaveLength(1);
    worker = new Worker(fixture('sab-worker.mjs'));
    worker.postMessage({ bytes, sidecar });
    const [reply] = (await withTimeout(once(worker, 'message'), 10_000, 'worker reply')) as [{ sameBufferAsCopy: boolean; isShared: boolean }];
    expect(Atomics.load(counter, 0)).toBe(42);
    expect(reply).toEqual({ sameBufferAsCopy: true, isShared: true });
  });

  it('transfers a MessagePort through sidecar.transfer', async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const { bytes, sidecar } = encode({ port: port2 }, { sidecar: true });
      expect(sidecar.transfer).toEqual([port2]);
      expect(bytes[0]).toBe(0xd2);
      expect(() => encode({ port: port2 })).toThrow(/MessagePort.*sidecar/);
    } finally {
      port1.close();
      port2.close();
    }
  });
});
