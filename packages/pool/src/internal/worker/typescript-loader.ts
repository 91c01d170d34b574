/**
 * TypeScript modules in `thread` workers. A program run with `node --import tsx` passes that
 * flag to its worker threads, but on Node 20 tsx registers its ESM hooks only in the main thread,
 * so `ref()` to a `.ts` module fails in a worker thread (measured: ERR_UNKNOWN_FILE_EXTENSION).
 * A pool worker therefore registers tsx itself when its process runs under tsx. (`spawn` workers
 * are new processes that run `--import tsx` as the parent did.)
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

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

export async function registerTypeScriptLoader(): Promise<void> {
  const holder = globalThis as Record<symbol, unknown>;
  if (isMainThread || holder[KEY] || !underTsx()) return;
  holder[KEY] = true;
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
  } catch {
    // tsx not installed where we can find it: .ts modules fail with Node's own error
  }
}
