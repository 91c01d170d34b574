/**
 * TypeScript modules in `thread` workers. A program run with `node --import tsx` passes that
 * flag to its worker threads, but on Node 20 tsx registers its ESM hooks only in the main thread,
 * so a `ref()` to a `.ts` module fails in a worker thread (measured: ERR_UNKNOWN_FILE_EXTENSION).
 * (`spawn` workers are new processes that run `--import tsx` as their parent did.)
 *
 * So a pool worker whose process runs under tsx registers tsx itself — lazily, at the first `.ts`
 * module it cannot load, because registering costs 0.3–1.5 s of startup here (measured) that most
 * pools never need. Node caches a failed import, so the module is then imported again under a
 * distinct URL (`?mp-tsx`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { isRef, refInfo, resolveRef } from '@mp/serialize/spi';

const KEY = Symbol.for('@mp/pool.typescriptLoader');

/** True if Node's flags load tsx (`--import tsx`, `--loader tsx`, `--require tsx/cjs`, ...). */
function underTsx(): boolean {
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--(?:import|loader|experimental-loader|require)(?:=(.*))?$/.exec(arg) ?? (arg === '-r' ? [arg, undefined] : null);
    if (match === null) continue;
    const value = match[1] ?? argv[i + 1] ?? '';
    if (/(^|[\\/])tsx([\\/]|$)/.test(value)) return true;
  }
  return false;
}

/** Registers tsx's ESM hooks in this worker thread (once); false if tsx cannot be found. */
async function registerTsx(): Promise<boolean> {
  const holder = globalThis as Record<symbol, Promise<boolean> | undefined>;
  holder[KEY] ??= (async () => {
    const spec = 'tsx/esm/api';
    try {
      let api: { register(): unknown };
      try {
        api = (await import(spec)) as { register(): unknown };
      } catch {
        // not resolvable from this package: resolve it as the program would, from its cwd
        const resolved = createRequire(path.join(process.cwd(), 'noop.js')).resolve(spec);
        api = (await import(pathToFileURL(resolved).href)) as { register(): unknown };
      }
      api.register();
      return true;
    } catch {
      return false;
    }
  })();
  return holder[KEY];
}

function needsTypeScript(error: unknown): boolean {
  return !isMainThread && (error as { code?: string } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION' && underTsx();
}

/**
 * The function a task (or initializer) runs: itself, or the export behind a `ref()` — imported
 * with tsx's help if it is a TypeScript module that this thread cannot load yet.
 */
export async function resolveTaskFunction(fn: Function): Promise<Function> {
  if (!isRef(fn)) return fn;
  try {
    return await resolveRef(fn);
  } catch (error) {
    if (!needsTypeScript(error) || !(await registerTsx())) throw error;
    const { moduleUrl, exportName } = refInfo(fn)!;
    const ns = (await import(`${moduleUrl}${moduleUrl.includes('?') ? '&' : '?'}mp-tsx`)) as Record<string, unknown>;
    const target = ns[exportName];
    if (typeof target !== 'function') throw new TypeError(`ref(${moduleUrl}, ${exportName}): the module has no function export \`${exportName}\``);
    return target as Function;
  }
}
