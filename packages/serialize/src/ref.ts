import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SerializationError } from './errors.js';
import { loadModule } from './internal/library.js';
import { REF, refInfo, type RefInfo } from './internal/ref-info.js';

/**
 * Any function type (the constraint of {@link ref}'s type parameter).
 *
 * @example
 * ```ts
 * function call<F extends AnyFunction>(r: RefFunction<F>, ...args: Parameters<F>) { return r(...args); }
 * ```
 */
export type AnyFunction = (...args: never[]) => unknown;

/**
 * A function of unknown signature: the default of {@link ref}'s type parameter.
 *
 * @example
 * ```ts
 * const r: RefFunction<UnknownFunction> = ref(import.meta.url, 'work'); // r(...anything)
 * ```
 */
export type UnknownFunction = (...args: unknown[]) => unknown;

/**
 * A by-reference function made by {@link ref}: calling it imports the module (once) and calls the
 * export, so it always returns a Promise. It serializes as (module URL, export name) only.
 *
 * @example
 * ```ts
 * const work: RefFunction<(n: number) => number> = ref(import.meta.url, 'work');
 * const result: number = await work(3);
 * ```
 */
export interface RefFunction<F extends AnyFunction = UnknownFunction> {
  (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>;
  /** The module's URL, as given to `ref()` (normalized to a URL string). */
  readonly moduleUrl: string;
  /** The name of the export. */
  readonly exportName: string;
}

function normalizeUrl(moduleUrl: string | URL): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl)) return moduleUrl;
  if (moduleUrl.startsWith('.')) {
    throw new TypeError(`ref() needs an absolute module URL (such as import.meta.url), not the relative specifier '${moduleUrl}': it is resolved in another process.`);
  }
  return moduleUrl; // a bare package specifier
}

/**
 * A function by reference: it crosses to another process as (module URL, export name), and the
 * receiver imports that module and uses its export. Use it for functions that need their module's
 * scope (imports, module-level state) or that are too big to send by source.
 *
 * @param moduleUrl - the module's URL, usually `import.meta.url`; an absolute path also works.
 * @param exportName - the name of the exported function.
 * @returns a callable that imports the module on first use and returns a Promise of the result.
 * @example
 * ```ts
 * // work.ts
 * import { ref, dumps, loads } from '@mp/serialize';
 * export function square(x: number) { return x * x; }
 * const remote = ref<typeof square>(import.meta.url, 'square');
 * const again = loads<typeof remote>(dumps(remote)); // same kind of callable, anywhere
 * console.log(await again(7)); // 49
 * ```
 */
export function ref<F extends AnyFunction = UnknownFunction>(moduleUrl: string | URL, exportName: string): RefFunction<F> {
  const info: RefInfo = Object.freeze({ moduleUrl: normalizeUrl(moduleUrl), exportName: String(exportName) });
  const fn = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const target = (await resolveRef(fn as unknown as RefFunction)) as unknown as (...a: unknown[]) => unknown;
    return target.apply(this, args);
  };
  Object.defineProperty(fn, 'name', { value: info.exportName, configurable: true });
  Object.defineProperty(fn, REF, { value: info });
  Object.defineProperty(fn, 'moduleUrl', { value: info.moduleUrl, enumerable: false });
  Object.defineProperty(fn, 'exportName', { value: info.exportName, enumerable: false });
  return fn as unknown as RefFunction<F>;
}

/**
 * Is `value` a by-reference function made by {@link ref} (in this or another build of the package,
 * or revived from bytes)?
 *
 * @example
 * ```ts
 * import { isRef, ref } from '@mp/serialize';
 * isRef(ref(import.meta.url, 'work')); // true
 * isRef(() => 1); // false
 * ```
 */
export function isRef(value: unknown): value is RefFunction {
  return refInfo(value) !== undefined;
}

const resolved = new Map<string, Promise<Function>>();

/**
 * The real function behind a {@link ref}: imports its module (once per isolate) and returns the
 * export. Given a plain function, returns it unchanged.
 *
 * @throws SerializationError when the module has no such export, or it is not a function.
 * @example
 * ```ts
 * import { ref, resolveRef } from '@mp/serialize';
 * const join = await resolveRef(ref('node:path', 'join'));
 * join('a', 'b'); // 'a/b'
 * ```
 */
export function resolveRef<F extends AnyFunction = UnknownFunction>(r: RefFunction<F> | F): Promise<F> {
  const info = refInfo(r);
  if (!info) return Promise.resolve(r as F);
  const key = `${info.moduleUrl}#${info.exportName}`;
  let p = resolved.get(key);
  if (!p) {
    p = loadModule(info.moduleUrl).then((ns) => {
      const target = ns[info.exportName];
      if (typeof target !== 'function') {
        throw new SerializationError(
          `ref(${JSON.stringify(info.moduleUrl)}, ${JSON.stringify(info.exportName)}): the module has no function export \`${info.exportName}\` (found ${typeof target}). Export the function under that name.`,
        );
      }
      return target;
    });
    p.catch(() => resolved.delete(key));
    resolved.set(key, p);
  }
  return p as Promise<F>;
}
