import { describe, expect, it } from 'vitest';
import { SerializationError, dumps, isRef, loads, ref, resolveRef } from '@mp/serialize';
import { refInfo } from '@mp/serialize/spi';
import { fixture, roundTrip } from './helpers.js';

describe('ref()', () => {
  it('is callable here: imports the module and calls the export, returning a Promise', async () => {
    const twice = ref<(x: number) => number>(fixture('fake-lib.mjs'), 'helperTwice');
    await expect(twice(21)).resolves.toBe(42);
    expect(twice.name).toBe('helperTwice');
    expect(twice.exportName).toBe('helperTwice');
    expect(twice.moduleUrl).toBe(fixture('fake-lib.mjs').href);
  });

  it('serializes as (url, name) only and revives as the same kind of callable', async () => {
    const join = ref<(...parts: string[]) => string>('node:path', 'join');
    const bytes = dumps({ join });
    expect(bytes.length).toBeLessThan(100);
    const back = loads<{ join: typeof join }>(bytes);
    expect(isRef(back.join)).toBe(true);
    expect(refInfo(back.join)).toEqual({ moduleUrl: 'node:path', exportName: 'join' });
    await expect(back.join('a', 'b')).resolves.toBe('a/b');
  });

  it('resolveRef returns the real export, once per module and name', async () => {
    const r = ref(fixture('fake-lib.mjs').href, 'helperTwice');
    const fn = await resolveRef(r);
    expect(fn).toBe(await resolveRef(roundTrip(r)));
    expect((fn as (x: number) => number)(2)).toBe(4);
    const plain = () => 1;
    await expect(resolveRef(plain)).resolves.toBe(plain);
  });

  it('accepts an absolute path and a URL object', () => {
    expect(ref(new URL('file:///tmp/x.mjs'), 'f').moduleUrl).toBe('file:///tmp/x.mjs');
    expect(ref('/tmp/x.mjs', 'f').moduleUrl).toBe('file:///tmp/x.mjs');
  });

  it('refuses a relative specifier, which would resolve differently in the child', () => {
    expect(() => ref('./x.js', 'f')).toThrow(/absolute module URL/);
  });

  it('rejects with a clear error when the export is missing', async () => {
    await expect(ref('node:path', 'nope')()).rejects.toThrow(SerializationError);
    await expect(ref('node:path', 'nope')()).rejects.toThrow(/no function export `nope`/);
  });

  it('isRef is false for other functions', () => {
    expect(isRef(() => 1)).toBe(false);
    expect(isRef({})).toBe(false);
  });
});
