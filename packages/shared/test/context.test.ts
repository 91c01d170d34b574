// Context factories: ctx.Value, ctx.RawValue, ctx.Array / ctx.SharedArray, ctx.RawArray.
import { afterAll, describe, expect, it } from 'vitest';
import { getContext } from '@mp/context';
import { RawSharedArray, RawValue, SharedArray, Value } from '@mp/shared';
import { Lock } from '@mp/sync';
import { childProcessesOfThisProcess, eventually, METHODS } from '@mp/testing';

describe.each(METHODS)("the '%s' context's factories", (method) => {
  const ctx = getContext(method);

  it('make the same objects as the classes, with the same options', () => {
    const v = ctx.Value('i', 5);
    expect(v).toBeInstanceOf(Value);
    expect(v.value).toBe(5);
    expect(ctx.Value('d', 1, { lock: false })).toBeInstanceOf(RawValue);
    const lock = new Lock();
    expect(ctx.Value('i', 0, { lock }).getLock()).toBe(lock);
    expect(ctx.RawValue('q', 3n).value).toBe(3n);
    expect(ctx.Array('i', [1, 2]).toArray()).toEqual([1, 2]);
    expect(ctx.SharedArray('d', 2)).toBeInstanceOf(SharedArray);
    expect(ctx.Array('i', 2, { lock: false })).toBeInstanceOf(RawSharedArray);
    const raw = ctx.RawArray('f', [0.5]);
    expect(raw).toBeInstanceOf(Float32Array);
    expect(raw[0]).toBe(0.5);
  });

  it("objects from ctx factories work in that context's children", async () => {
    const v = ctx.Value('i', 0);
    const a = ctx.Array('i', 3);
    const p = ctx.Process({
      target: (val: Value<'i'>, arr: SharedArray<'i'>) => {
        val.value = 7;
        arr.setAll([1, 2, 3]);
      },
      args: [v, a],
    });
    await p.start();
    await p.join(30_000);
    expect(p.exitCode).toBe(0);
    expect(v.value).toBe(7);
    expect(a.toArray()).toEqual([1, 2, 3]);
  });
});

afterAll(async () => {
  expect(await eventually(() => childProcessesOfThisProcess().length === 0)).toBe(true);
});
