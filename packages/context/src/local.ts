import { registerReducer } from '@mp/serialize';

/** Marks objects made by {@link local}. */
class ProcessLocal {}

/**
 * A process- and thread-safe `threading.local()` (the multiprocessing_utils seed): attributes set
 * on it are visible only in the process or thread that set them. Passed to a child (as an
 * argument or inside another object) it arrives empty, so a child never sees its parent's values.
 *
 * @example
 * ```ts
 * const l = local<{ x?: number }>();
 * l.x = 1;
 * const p = new Process({ target: (l) => console.log(l.x ?? 'x not set'), args: [l] });
 * await p.start(); await p.join();   // prints "x not set"
 * ```
 */
export function local<T extends object = Record<string, unknown>>(): Partial<T> {
  return new ProcessLocal() as Partial<T>;
}

registerReducer<ProcessLocal>(
  'mp:local',
  (value) => value instanceof ProcessLocal,
  () => null,
  () => new ProcessLocal(),
  { module: import.meta.url },
);
