import { describe, expect, it } from 'vitest';
import {
  defaultContext,
  getAllStartMethods,
  getContext,
  getStartMethod,
  Process,
  RuntimeError,
  setStartMethod,
  SpawnContext,
  ThreadContext,
  ValueError,
} from '@mp/context';

describe('contexts and start methods', () => {
  it("offers 'thread' (default) and 'spawn'", () => {
    expect(getAllStartMethods()).toEqual(['thread', 'spawn']);
    expect(getContext('thread')).toBeInstanceOf(ThreadContext);
    expect(getContext('spawn')).toBeInstanceOf(SpawnContext);
    expect(getContext('spawn').getStartMethod()).toBe('spawn');
  });

  it("'fork' and 'forkserver' throw a ValueError naming thread and spawn", () => {
    for (const method of ['fork', 'forkserver']) {
      expect(() => getContext(method)).toThrow(ValueError);
      expect(() => getContext(method)).toThrow(new RegExp(`${method}[\\s\\S]*'thread'[\\s\\S]*'spawn'`));
    }
    expect(() => getContext('nope')).toThrow(/cannot find context/);
  });

  it('a concrete context returns itself and cannot change its start method', () => {
    for (const method of ['thread', 'spawn'] as const) {
      const ctx = getContext(method);
      expect(ctx.getContext()).toBe(ctx);
      expect(() => ctx.setStartMethod('spawn')).toThrow(ValueError);
      expect(() => ctx.setStartMethod(null)).toThrow(ValueError);
      expect(ctx.constructor.name.toLowerCase().startsWith(method)).toBe(true);
      expect(ctx.Process.name.toLowerCase().startsWith(method)).toBe(true);
    }
  });

  it('ctx.Process works with and without new, and makes Process instances', () => {
    const ctx = getContext('spawn');
    const a = ctx.Process({ target: () => {} });
    const b = new ctx.Process({ target: () => {} });
    expect(a).toBeInstanceOf(Process);
    expect(b).toBeInstanceOf(ctx.Process);
  });

  it('setStartMethod follows Python: fixed once, force to change, null+force to unset', () => {
    setStartMethod(null, true);
    expect(getStartMethod(true)).toBeNull();
    expect(getStartMethod()).toBe('thread'); // fixes it
    expect(() => setStartMethod('spawn')).toThrow(RuntimeError);
    setStartMethod('spawn', true);
    expect(getStartMethod()).toBe('spawn');
    expect(defaultContext.getContext()).toBeInstanceOf(SpawnContext);
    expect(getAllStartMethods()[0]).toBe('spawn');
    setStartMethod('thread', true);
    expect(getContext()).toBeInstanceOf(ThreadContext);
  });

  it('contexts carry Python error classes and cpuCount', () => {
    const ctx = getContext('thread');
    expect(new ctx.TimeoutError('x')).toBeInstanceOf(ctx.ProcessError);
    expect(ctx.cpuCount()).toBeGreaterThanOrEqual(1);
  });
});
